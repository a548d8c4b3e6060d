/** The README's SDK example; a test runs it against a real server, so the README cannot rot. */
import { createClient, HttpError, isActionable } from '../src/sdk/index.js';

// The demo's KPI server by default; `npm start` runs it.
const client = createClient({
  baseUrl: process.env.KPI_LIGHTS_URL ?? 'http://127.0.0.1:8100',
  token: process.env.KPI_LIGHTS_TOKEN, // only for servers with `auth.read: token`
});

// One reading, with the thresholds and the policy version it was judged by.
const latency = await client.kpi('efile-latency');
console.log(
  `${latency.title}: ${latency.value} (${latency.status}, policy v${latency.policyVersion})`,
);
console.log(isActionable(latency) ? 'fresh enough to act on' : `do not act: stale or unknown`);

// Errors say what went wrong: here a 404 with the server's problem details.
try {
  await client.kpi('no-such-kpi');
} catch (err) {
  if (!(err instanceof HttpError)) throw err;
  console.log(`${err.status}: ${err.problem?.detail}`);
}

// Live: the snapshot first, then each change; it reconnects and resumes by itself.
let changes = 0;
for await (const event of client.watch({ kpis: ['efile-latency'] })) {
  if (event.type === 'snapshot') console.log(`snapshot of ${event.data.kpis.length} KPI(s)`);
  if (event.type === 'disconnected') console.log('stream lost; held readings will go stale');
  if (event.type === 'kpi') {
    const r = event.data;
    console.log(`${r.id} = ${r.value} ${r.status}${isActionable(r) ? '' : ' (not actionable)'}`);
    if (++changes === 3) break; // leaving the loop closes the stream
  }
}
