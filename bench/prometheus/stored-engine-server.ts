/** Our side of the PromQL benchmark: a data folder filled by `import openmetrics`, opened again as a starting server opens it, behind the query API. */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createQueryRoutes } from '../../src/server/api/routes/query.js';
import { importOpenMetrics } from '../../src/server/backfill/import-openmetrics.js';
import { PromqlEngine } from '../../src/server/promql/index.js';
import { createEmbeddedSource } from '../../src/server/source/embedded-source.js';
import { createPrometheusSource } from '../../src/server/source/prometheus-source.js';
import type { QuerySource } from '../../src/server/source/query-source.js';
import { openHead } from '../../src/server/store/open-head.js';

/** Our engine served over HTTP, like Prometheus, so both answers cross the same kind of wire. */
export interface StoredEngineServer {
  readonly source: QuerySource;
  close(): Promise<void>;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Imports `omFile` into `dataDir`, closes it, then opens it as a restarted server does (replaying
 * checkpoint and chunk files; only the last 2 h of chunks stay in memory, older ones are read
 * from their files), and serves the query API on 127.0.0.1.
 *
 * @example
 * ```ts
 * const ours = await startStoredEngine('data.om', 'work/ours');
 * try { await ours.source.range('rate(c[5m])', start, end, step); } finally { await ours.close(); }
 * ```
 */
export async function startStoredEngine(
  omFile: string,
  dataDir: string,
): Promise<StoredEngineServer> {
  let t0 = performance.now();
  const imported = importOpenMetrics(omFile, { dataDir, log: () => {} });
  console.log(
    `imported ${imported.samples} samples of ${imported.series} series into our data folder in ${seconds(performance.now() - t0)} s`,
  );
  t0 = performance.now();
  const opened = openHead({ storage: { dir: join(dataDir, 'samples') }, log: () => {} });
  const disk = opened.diskStats();
  console.log(
    `restarted on it in ${seconds(performance.now() - t0)} s: ${opened.storage?.replay.samples} samples, ` +
      `${disk ? (disk.diskBytes / (opened.storage?.replay.samples ?? 1)).toFixed(2) : '?'} B/sample on disk`,
  );
  const engine = new PromqlEngine(opened.head, { maxSamples: 500_000_000 });
  const app = new Hono().route(
    '/api/v1',
    createQueryRoutes({ source: createEmbeddedSource(engine) }),
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    source: createPrometheusSource({ url: `http://127.0.0.1:${port}`, timeoutMs: 600_000 }),
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      opened.close();
    },
  };
}
