/** A policy file changed under a running server becomes one new version, authored by whoever asked: on SIGHUP, or `POST /-/reload`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { waitFor } from '#test-support/wait-for.js';
import type { PolicyAuditEntry, PolicyVersionInfo } from '../../src/sdk/types.js';
import { startServer } from '../../src/server/compose/start-server.js';

const WRITE_TOKEN = 'reload-write-token-0123456789';

const policy = (warning: number) => `targets:
  - url: http://127.0.0.1:9/metrics
    labels: { service: efile }
kpis:
  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: ${warning}, critical: 0.5 } }
auth:
  tokens:
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [read, write] }
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-reload-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const versionsAt = async (url: string) =>
  (await (await fetch(`${url}/api/v1/policy/versions`)).json()) as PolicyVersionInfo[];

describe('reloading the policy file', () => {
  it('on SIGHUP to a real serve process: one new version, authored SIGHUP', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(config, policy(1));
    const args = ['serve', '-c', config, '--port', '0', '--data-dir', join(dir, 'data')];
    const { child, done } = runCli(args, {}, 'node');
    cleanups.push(() => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    const url = await servedUrl(child);

    writeFileSync(config, policy(0.9));
    child.kill('SIGHUP');
    await waitFor(async () => (await versionsAt(url)).length === 2, { timeoutMs: 10_000 });
    // An unchanged file is no change: a second SIGHUP makes no version.
    child.kill('SIGHUP');
    await waitFor(
      async () => {
        const audit = (await (
          await fetch(`${url}/api/v1/policy/audit`, {
            headers: { authorization: `Bearer ${WRITE_TOKEN}` },
          })
        ).json()) as PolicyAuditEntry[];
        return audit.length === 3;
      },
      { timeoutMs: 10_000 },
    );
    const versions = await versionsAt(url);
    expect(versions.map((v) => [v.version, v.author, v.reason])).toEqual([
      [1, 'file', 'loaded from kpi-lights.yaml'],
      [2, 'SIGHUP', 'reloaded on SIGHUP'],
    ]);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.stdout).toContain('kpi-lights: SIGHUP: policy version 2 in force\n');
    expect(run.code).toBe(0);
    // The command line reads the same database with no server running.
    const log = await runCli(['policy', 'log', '--data-dir', join(dir, 'data')], {}, 'node').done;
    expect([log.code, log.stdout.split('\n').map((l) => l.split('\t')[0])]).toEqual([
      0,
      ['2', '1', ''],
    ]);
    const diff = await runCli(
      ['policy', 'diff', '1', '2', '--data-dir', join(dir, 'data')],
      {},
      'node',
    ).done;
    expect(diff.stdout).toContain(
      '+  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: 0.9, critical: 0.5 } }\n',
    );
    expect(diff.stdout).not.toContain(WRITE_TOKEN);
  });

  it('on POST /-/reload with a write token; a broken file is refused and audited', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, policy(1));
    const server = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      processMetrics: false,
      engineWorker: false,
    });
    cleanups.push(() => server.close());
    const reload = (token?: string) =>
      fetch(`${server.url}/-/reload`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    expect((await reload()).status).toBe(401);
    writeFileSync(configPath, policy(0.9));
    const ok = await reload(WRITE_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      version: 2,
      author: 'deploy',
      reason: 'reloaded on POST /-/reload',
    });
    writeFileSync(configPath, 'kpis: 3\n');
    const bad = await reload(WRITE_TOKEN);
    expect(bad.status).toBe(400);
    expect((await versionsAt(server.url)).length).toBe(2);
    expect(server.versions.audit(1)[0]).toMatchObject({
      action: 'reload',
      author: 'deploy',
      outcome: 'rejected',
    });
  });
});
