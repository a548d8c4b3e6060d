/** A real Alertmanager on 127.0.0.1 with a temporary data folder, for tests that forward alerts to it. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian names the binary `prometheus-alertmanager`; upstream builds call it `alertmanager`. */
const BINARIES = ['prometheus-alertmanager', 'alertmanager'];

/** The Alertmanager binary on PATH, or undefined (tests then skip with a notice). */
export function alertmanagerBinary(): string | undefined {
  return BINARIES.find((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A running Alertmanager. */
export interface AlertmanagerProcess {
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager with a route to a receiver that sends nowhere, clustering off, and waits
 * until it is ready.
 *
 * @example
 * ```ts
 * const am = await startAlertmanager(alertmanagerBinary()!);
 * await fetch(`${am.url}/api/v2/alerts`);
 * await am.stop();
 * ```
 */
export async function startAlertmanager(
  binary: string,
  /** Its configuration file's text; default a route to a receiver that sends nowhere. */
  configText = 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n',
): Promise<AlertmanagerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, configText);
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited: ${stderr}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager not ready after 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}
