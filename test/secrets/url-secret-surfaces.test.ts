/**
 * H5 and M4 against a real `kpi-lights serve` process: a token in a target's URL never reaches a
 * reader (KPIs, the stream, targets, policy text, versions, diffs) nor the process's own output,
 * while monitoring goes on; credentials in a source URL are refused before anything is recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { sseEvents } from '#test-support/sse-events.js';
import { waitFor } from '#test-support/wait-for.js';
import { countingTarget, monitoringGoesOn } from '#test-support/watched-monitoring.js';

const TOKEN = 'tk-9f8e7d6c5b4a3f2e1d0c';
const WRITE_TOKEN = 'surfaces-write-token-0123456789';
const PASSWORD = 'pw-hunter2-0123456789';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-url-secrets-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port nothing listens on: taken, then let go. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const policy = (
  good: string,
  dead: number,
  token: string,
) => `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${good}
    labels: { service: efile }
  - url: http://127.0.0.1:${dead}/metrics?auth_token=${token}
    labels: { service: vault }
kpis:
  - { id: queue, title: Queue, query: sum(queue_depth), unit: count, thresholds: { warning: 10, critical: 20 } }
  - id: vault-up
    title: Vault up
    query: avg(up{service="vault"}) or vector(0)
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 0.9, critical: 0.5 }
evaluation: { interval: 1s }
auth:
  tokens:
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [read, write] }
`;

describe('a secret in a URL', () => {
  it('never reaches a reader or the log of a running server, and monitoring goes on', {
    timeout: 60_000,
  }, async () => {
    const good = await countingTarget('# TYPE queue_depth gauge\nqueue_depth 3\n');
    cleanups.push(() => good.close());
    const dir = tempDir();
    const config = join(dir, 'kpi-lights.yaml');
    const dead = await deadPort();
    writeFileSync(config, policy(good.url, dead, TOKEN));
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
    const seen = await monitoringGoesOn({ server: url, target: good });
    expect(seen.statuses).not.toContain('unknown');

    const read = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${url}${path}`, init);
      return { status: res.status, text: await res.text() };
    };
    // The dead target is down, and says why, by now.
    await waitFor(async () => (await read('/api/v1/targets')).text.includes('"down"'));
    const targets = await read('/api/v1/targets');
    expect(targets.text).toContain(`/metrics?auth_token=<redacted>`);
    const kpis = await read('/api/v1/kpis');
    expect(kpis.text).toContain('auth_token=<redacted> (job vault) is down');
    const stream = await fetch(`${url}/api/v1/stream`);
    let snapshot = '';
    for await (const e of sseEvents(stream)) {
      if (e.event === 'snapshot') {
        snapshot = e.data;
        break;
      }
    }
    expect(snapshot).toContain('auth_token=<redacted>');
    const shown = await read('/api/v1/policy');
    const version = await read('/api/v1/policy/versions/1');

    // A rotated token: the diff says a secret changed, never what it was or is.
    const etag = (await fetch(`${url}/api/v1/policy`)).headers.get('etag')!;
    const rotated = 'tk-rotated-0000000000000000';
    const put = await fetch(`${url}/api/v1/policy`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${WRITE_TOKEN}`,
        'if-match': etag,
        'x-policy-reason': 'rotate the vault token',
      },
      body: policy(good.url, dead, rotated),
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).not.toBe(etag);
    const v2 = await read('/api/v1/policy/versions/2');
    expect(JSON.parse(v2.text).diff).toContain('?auth_token=<secret changed>');

    const everything = [targets, kpis, shown, version, v2].map((r) => r.text).join('\n') + snapshot;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(rotated);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('?auth_token=<redacted> (job vault)');
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    // And the command line's own diff over the database.
    const diff = await runCli(['policy', 'diff', '1', '2', '--data-dir', data], {}, 'node').done;
    expect(diff.stdout).toContain('<secret changed>');
    expect(diff.stdout).not.toMatch(new RegExp(`${TOKEN}|${rotated}`));
  });

  it('with credentials in a Prometheus source URL is refused by validate and serve; nothing is recorded', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      config,
      `source:
  prometheus:
    url: http://ops:${PASSWORD}@127.0.0.1:9/
kpis:
  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: 0.9, critical: 0.5 } }
`,
    );
    const validate = await runCli(['validate', '-c', config], {}, 'node').done;
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(
      'kpi-lights.yaml:3:10 source.prometheus.url: must not carry credentials; send them as a header',
    );
    const data = join(dir, 'data');
    const serve = await runCli(
      ['serve', '-c', config, '--port', '0', '--data-dir', data],
      {},
      'node',
    ).done;
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('not started');
    expect(serve.stderr).not.toMatch(/\n\s+at /);
    for (const run of [validate, serve])
      expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
    const log = await runCli(['policy', 'log', '--data-dir', data], {}, 'node').done;
    expect(`${log.stdout}${log.stderr}`).toMatch(/no policy versions yet|no kpi-lights database/);
  });
});
