/** A real Prometheus federating from kpi-lights's `/federate`, with the read token, gets the series kpi-lights holds. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_READ_TOKEN, type ApiServer, startApiServer } from '#test-support/api-server.js';
import {
  hasPrometheus,
  type RunningPrometheus,
  startPrometheus,
} from '#test-support/prometheus-server.js';
import { waitFor } from '#test-support/wait-for.js';

const skip = !hasPrometheus();
if (skip) console.warn('skipping the federation test: no prometheus on PATH');

interface Vector {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(skip)('a Prometheus federating from kpi-lights', () => {
  let api: ApiServer;
  let prometheus: RunningPrometheus;
  let dir: string;

  beforeAll(async () => {
    api = await startApiServer();
    dir = mkdtempSync(join(tmpdir(), 'kpi-federate-'));
    const { host } = new URL(api.url);
    prometheus = await startPrometheus(join(dir, 'data'), dir, {
      config: `global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: federate
    honor_labels: true
    metrics_path: /federate
    params: { 'match[]': ['{job="efile"}'] }
    authorization: { credentials: ${API_READ_TOKEN} }
    static_configs: [{ targets: ['${host}'] }]
`,
    });
  }, 90_000);
  afterAll(async () => {
    await prometheus?.stop();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (base: string, expr: string, token?: string) => {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return ((await res.json()) as Vector).data.result;
  };

  it('scrapes /federate with the token and holds the same series, labels kept as they were', async () => {
    await waitFor(async () => (await query(prometheus.url, 'queue_depth')).length > 0, {
      timeoutMs: 30_000,
      everyMs: 250,
    });
    const [federation] = await query(prometheus.url, 'up{job="federate"}');
    expect(federation.value[1]).toBe('1');
    const theirs = await query(prometheus.url, '{job="efile"}');
    const ours = await query(`${api.url}/prometheus`, '{job="efile"}', API_READ_TOKEN);
    const byName = (r: typeof ours) =>
      r.map((s) => s.metric).sort((a, b) => a.__name__.localeCompare(b.__name__));
    // honor_labels keeps kpi-lights's job and instance: the series are the very same ones.
    expect(byName(theirs)).toEqual(byName(ours));
    const depth = theirs.find((s) => s.metric.__name__ === 'queue_depth');
    expect(depth?.value[1]).toBe('3');
  });

  it('refuses a scrape without the token', async () => {
    const res = await fetch(`${api.url}/federate?match[]=up`);
    expect(res.status).toBe(401);
  });
});
