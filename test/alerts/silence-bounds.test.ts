/**
 * L1 and L2 on a real server: silences that would mute every alert are refused however they are
 * spelt; silences are bounded in number, so the list and each alert round stay small, while
 * monitoring goes on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countingTarget, monitoringGoesOn } from '#test-support/watched-monitoring.js';
import type { ProblemDetails, Silence } from '../../src/sdk/types.js';
import { SILENCE_LIMITS } from '../../src/server/alerts/silence-store.js';
import { startServer } from '../../src/server/compose/start-server.js';

const WRITE = 'silences-write-token-0123456789';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('silences on a server', () => {
  it('refuses matchers that mute everything, and stops at the bound', {
    timeout: 60_000,
  }, async () => {
    const target = await countingTarget('# TYPE queue_depth gauge\nqueue_depth 3\n');
    cleanups.push(() => target.close());
    const dir = mkdtempSync(join(tmpdir(), 'kpi-silence-bounds-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      configPath,
      `scrape: { interval: 1s, timeout: 500ms }
targets:
  - { url: ${target.url}, labels: { service: efile } }
kpis:
  - { id: queue, title: Queue, query: sum(queue_depth), unit: count, thresholds: { warning: 10, critical: 20 } }
alerts:
  - { name: QueueUp, query: queue_depth > 0, for: 0s }
evaluation: { interval: 1s }
auth:
  tokens:
    - { name: ops, token: ${WRITE}, scopes: [read, write] }
`,
    );
    const server = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      processMetrics: false,
      report: () => {},
    });
    cleanups.push(() => server.close());
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const post = (matchers: unknown[], comment = 'maintenance') =>
      fetch(`${server.url}/api/v1/silences`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WRITE}`, 'content-type': 'application/json' },
        body: JSON.stringify({ matchers, endsAt, createdBy: 'ops', comment }),
      });

    for (const matchers of [
      [{ name: 'alertname', value: '.+', isRegex: true }],
      [{ name: 'alertname', value: '', isRegex: false, isEqual: false }],
      [{ name: 'severity', value: '(?s).+', isRegex: true }],
    ]) {
      const res = await post(matchers);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as ProblemDetails & { field: string };
      expect([problem.field, problem.detail]).toEqual([
        'matchers',
        'the matchers match every alert; name at least one label value an alert must have',
      ]);
    }

    const { maxLive } = SILENCE_LIMITS;
    for (let i = 0; i < maxLive; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) =>
        post([{ name: 'agency', value: `A${i + j}`, isRegex: false }]),
      );
      for (const res of await Promise.all(batch)) expect(res.status).toBe(201);
    }
    const over = await post([{ name: 'agency', value: 'one-more', isRegex: false }]);
    expect(over.status).toBe(400);
    expect(((await over.json()) as ProblemDetails).detail).toBe(
      `${maxLive} silences are active or pending, the most kept; expire one first (DELETE /api/v1/silences/:id)`,
    );
    const list = await fetch(`${server.url}/api/v1/silences`);
    const bytes = (await list.clone().arrayBuffer()).byteLength;
    expect(((await list.json()) as Silence[]).length).toBe(maxLive);
    // Each silence is at most 8 KiB; these are a few hundred bytes each.
    expect(bytes).toBeLessThan(maxLive * SILENCE_LIMITS.maxBytes);
    console.info(`GET /api/v1/silences with ${maxLive} silences: ${(bytes / 1024).toFixed(0)} KiB`);
    // The alert rounds go on through a thousand silences; the alert fires, unmuted.
    const seen = await monitoringGoesOn({ server: server.url, target });
    expect(seen.statuses).toEqual(['ok']);
    const alerts = (await (await fetch(`${server.url}/api/v1/alerts`)).json()) as {
      name: string;
      state: string;
      silencedBy?: string[];
    }[];
    expect(alerts.map((a) => [a.name, a.state, a.silencedBy])).toEqual([
      ['QueueUp', 'firing', undefined],
    ]);
  });
});
