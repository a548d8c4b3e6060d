/** The strict-CSP host page's one script: loads the components and feeds them a scripted stream. */
// The client module runs first: elements pick their client when the bundle defines them.
import { client } from './csp-client.fixture.js';
import '../embed.js';
import { reading, type ScriptedClient } from './scripted-client.fixture.js';

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
