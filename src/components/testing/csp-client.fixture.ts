/** The strict-CSP host page's client: configured before the elements register, as a page must. */
import { configure } from '../connection/page-connection.js';
import { ScriptedClient, TEST_NOW } from './scripted-client.fixture.js';

/** The scripted client every element of the CSP page shares. */
export const client = new ScriptedClient();
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
// Before the bundle defines the elements: they connect, and pick their client, on definition.
configure({ createClient: () => client, now: () => TEST_NOW });
