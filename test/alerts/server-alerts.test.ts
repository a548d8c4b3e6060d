/** Alerts inside startServer: the evaluator's rounds drive them, a webhook hears them, a restart does not repeat them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';
import type { WebhookPayload } from '../../src/server/alerts/index.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function local(app: Hono): Promise<string> {
  const s = await serveLocal(app);
  cleanups.push(() => s.close());
  return s.url;
}

function policy(target: string, hook: string): string {
  return `scrape: { interval: 1m, timeout: 5s }
targets:
  - url: ${target}/metrics
    labels: { service: efile }
kpis:
  - id: error-rate
    title: Error rate
    query: sum(errors_total) / sum(requests_total)
    unit: percent
    thresholds: { warning: 0.1, critical: 0.2 }
    runbook: https://runbooks.example.gov/errors
alerts:
  - name: ErrorsHigh
    kpi: error-rate
    when: critical
    for: 0s
    notify: [hook]
  - name: ManyErrors
    query: errors_total > 10
    summary: "{{ $labels.service }} has {{ $value }} errors"
    notify: [hook]
route: { group_by: [alertname], group_wait: 0s, group_interval: 1s }
receivers:
  hook:
    webhook: { url: "${hook}/hook" }
evaluation: { interval: 1m }
`;
}

describe('alerts in the server', () => {
  it('fire from an evaluator round, reach the webhook once, and survive a restart without a repeat', async () => {
    const target = await local(
      new Hono().get('/metrics', (c) =>
        c.text(
          '# TYPE requests_total counter\nrequests_total 200\n# TYPE errors_total counter\nerrors_total 50\n',
        ),
      ),
    );
    const hits: WebhookPayload[] = [];
    const hook = await local(
      new Hono().post('/hook', async (c) => {
        hits.push(await c.req.json());
        return c.body(null, 204);
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'kpi-server-alerts-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policy(target, hook));

    const run = async (): Promise<ServerHandle> => {
      const server = await startServer({
        configPath,
        dataDir: join(dir, 'data'),
        port: 0,
        processMetrics: false,
        report: () => {},
      });
      cleanups.push(() => server.close());
      const [t] = server.targets();
      const scraped = await server.scrape.scrapeNow(t.id);
      await server.evaluator.evaluate(scraped.timestampMs + 1);
      return server;
    };
    const first = await run();
    await waitFor(() => first.alerts.current().length === 2);
    await waitFor(() => hits.length === 2);
    // Recorded as sent: a close before that would resend once, which is the outbox's promise.
    await waitFor(() => first.alerts.outbox.pending() === 0);
    expect(
      first.alerts
        .current()
        .map((a) => [a.name, a.state, a.summary])
        .sort(),
    ).toEqual([
      ['ErrorsHigh', 'firing', 'Error rate is 25 %, past its critical threshold 20 %'],
      ['ManyErrors', 'firing', 'efile has 50 errors'],
    ]);
    expect(hits.map((h) => h.alerts[0].labels.alertname).sort()).toEqual([
      'ErrorsHigh',
      'ManyErrors',
    ]);
    await first.close();

    const second = await run();
    // Rounds of its own, then a delivery pass: a notice the restart owed would have gone out.
    const rounds = second.evaluator.stats().rounds;
    await second.evaluator.evaluate(Date.now());
    await second.alerts.evaluate(second.evaluator.readings(), Date.now());
    expect(second.evaluator.stats().rounds).toBeGreaterThan(rounds);
    await second.alerts.outbox.deliver();
    expect(second.alerts.current().map((a) => a.state)).toEqual(['firing', 'firing']);
    expect(hits).toHaveLength(2);
  }, 20_000);
});
