/** Runs a real Prometheus on 127.0.0.1 (backfilled, or scraping given targets) for tests and side-by-side measurements. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1, found by binding port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Blocks as long as a day: what a running Prometheus compacts 2 h blocks into, and long enough
 * that it finds nothing to compact while we measure (it would otherwise start after a minute).
 */
const BLOCK_DURATION = '24h';

/** Turns an OpenMetrics file into TSDB blocks under `dataDir` with promtool. */
export function backfill(openMetricsFile: string, dataDir: string): void {
  const run = spawnSync(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '-q',
      `--max-block-duration=${BLOCK_DURATION}`,
      openMetricsFile,
      dataDir,
    ],
    {
      encoding: 'utf8',
      timeout: 900_000,
    },
  );
  if (run.status !== 0) throw new Error(`promtool backfill failed: ${run.stderr || run.stdout}`);
}

export interface RunningPrometheus {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('prometheus did not become ready in time');
}

/** True when a `prometheus` binary runs here; tests that need one skip with a notice without it. */
export function hasPrometheus(): boolean {
  return spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** The configuration file's text. Default: scrape nothing. */
  readonly config?: string;
  /** The port, to restart on the same address. Default: a free one. */
  readonly port?: number;
  /** More command-line flags, e.g. `--web.enable-remote-write-receiver`. Default none. */
  readonly flags?: readonly string[];
}

/**
 * Starts `prometheus` over `dataDir` (a scrape-free config unless given one); `stop()` kills it
 * (call it always).
 * @example const prom = await startPrometheus(dir, dir); try { … } finally { await prom.stop(); }
 */
export async function startPrometheus(
  dataDir: string,
  workDir: string,
  options: StartPrometheusOptions = {},
): Promise<RunningPrometheus> {
  const port = options.port ?? (await freePort());
  const config = join(workDir, 'prometheus.yml');
  writeFileSync(config, options.config ?? 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      // Backfilled blocks older than the retention would be deleted at start.
      '--storage.tsdb.retention.time=3650d',
      `--storage.tsdb.max-block-duration=${BLOCK_DURATION}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.max-samples=500000000',
      '--log.level=warn',
      ...(options.flags ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(url, child, Date.now() + 120_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  return { url, port, stop };
}
