/**
 * H6 and L6 against a real `kpi-lights serve` process and a real webhook on 127.0.0.1 that
 * answers 413 to bodies over 5 KB: the refused notice is given up after three tries, with its
 * reason kept and counted on /metrics; the other notice does not wait behind it; the webhook's
 * path and token appear in no log and no outbox row; monitoring goes on meanwhile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { countingTarget, monitoringGoesOn } from '#test-support/watched-monitoring.js';
import type { WebhookPayload } from '../../src/server/alerts/index.js';
import { openDatabaseReadOnly } from '../../src/server/database/index.js';

const HOOK_TOKEN = 'hook-token-5e4d3c2b1a09';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('an undeliverable notice', () => {
  it('is given up after three refusals, counted, and holds up no other notice', {
    timeout: 60_000,
  }, async () => {
    const note = 'n'.repeat(4_096);
    const target = await countingTarget(
      `# TYPE queue_depth gauge\nqueue_depth 3\n# TYPE big_note gauge\nbig_note{note="${note}"} 1\n`,
    );
    cleanups.push(() => target.close());
    const events: string[] = [];
    const taken: WebhookPayload[] = [];
    const hook = await serveLocal(
      new Hono().post('/hook', async (c) => {
        const body = await c.req.text();
        const payload = JSON.parse(body) as WebhookPayload;
        const name = payload.groupLabels.alertname;
        if (body.length > 5_000) {
          events.push(`refused ${name}`);
          return c.text('payload too large', 413);
        }
        events.push(`taken ${name}`);
        taken.push(payload);
        return c.body(null, 204);
      }),
    );
    cleanups.push(() => hook.close());
    const dir = mkdtempSync(join(tmpdir(), 'kpi-undeliverable-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      config,
      `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${target.url}
    labels: { service: efile }
kpis:
  - { id: queue, title: Queue, query: sum(queue_depth), unit: count, thresholds: { warning: 10, critical: 20 } }
alerts:
  - { name: BigNote, query: big_note > 0, for: 0s, notify: [hook] }
  - { name: QueueUp, query: queue_depth > 0, for: 0s, notify: [hook] }
route: { group_by: [alertname], group_wait: 0s, group_interval: 1s }
receivers:
  hook:
    webhook: { url: "${hook.url}/hook?token=${HOOK_TOKEN}" }
evaluation: { interval: 1s }
`,
    );
    const data = join(dir, 'data');
    const { child, done } = runCli(
      ['serve', '-c', config, '--port', '0', '--data-dir', data],
      {},
      'node',
    );
    cleanups.push(() => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    const url = await servedUrl(child);

    const givenUp = async () =>
      (await (await fetch(`${url}/metrics`)).text())
        .split('\n')
        .find((l) => l.startsWith('kpi_lights_alert_notices_given_up_total{'));
    await waitFor(async () => (await givenUp()) !== undefined, { timeoutMs: 20_000 });
    expect(await givenUp()).toBe(
      'kpi_lights_alert_notices_given_up_total{receiver="hook",channel="webhook",reason="refused"} 1',
    );
    // The small notice went at once, between the big one's first and second try.
    expect(events.filter((e) => e.endsWith('BigNote'))).toEqual([
      'refused BigNote',
      'refused BigNote',
      'refused BigNote',
    ]);
    expect(events.indexOf('taken QueueUp')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('taken QueueUp')).toBeLessThan(events.lastIndexOf('refused BigNote'));
    expect(events.indexOf('taken QueueUp')).toBeLessThan(
      events.indexOf('refused BigNote', events.indexOf('refused BigNote') + 1),
    );
    const seen = await monitoringGoesOn({ server: url, target });
    expect(seen.statuses).toEqual(['ok']);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);

    const db = openDatabaseReadOnly(data);
    try {
      const rows = db
        .prepare('SELECT given_up_because AS why, last_error AS error FROM alert_outbox')
        .all() as { why: string | null; error: string | null }[];
      expect(rows).toContainEqual({ why: 'refused', error: `webhook ${hook.url} answered 413` });
      expect(JSON.stringify(rows)).not.toMatch(/hook-token|\/hook/);
    } finally {
      db.close();
    }
    expect(`${run.stdout}${run.stderr}`).toContain(
      `given up (refused): webhook ${hook.url} answered 413`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(new RegExp(`${HOOK_TOKEN}|${hook.url}/hook`));
  });
});
