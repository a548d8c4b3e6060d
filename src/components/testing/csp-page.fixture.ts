/** The strict-CSP host page's one script: loads the components and feeds them a scripted stream. */
import { configure } from '../embed.js';
import { reading, ScriptedClient, TEST_NOW } from './scripted-client.fixture.js';

declare global {
  interface Window {
    /** What the parent test reads: the CSP violations seen and the page's client. */
    cspPage?: { readonly violations: string[]; readonly client: ScriptedClient };
  }
}

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`);
});

const client = new ScriptedClient();
const t = [0, 1, 2].map((i) => TEST_NOW - 180_000 + i * 60_000);
client.histories.set('efile-error-rate', {
  id: 'efile-error-rate',
  from: t[0],
  to: TEST_NOW,
  step: 60_000,
  t,
  v: [0.002, 0.02, 0.1],
  status: ['ok', 'warning', 'critical'],
});
configure({ createClient: () => client, now: () => TEST_NOW });
window.cspPage = { violations, client };

// Elements connect when the module finishes; the snapshot follows once the stream is open.
queueMicrotask(() => {
  setTimeout(() => {
    client.push({
      type: 'snapshot',
      data: { policyVersion: 1, kpis: [reading({ status: 'critical' })], alerts: [] },
    });
  }, 0);
});
