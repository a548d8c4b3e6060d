/** The stream across a `kill -9`: a viewer resuming with an id from the dead process gets a snapshot first. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSseEvents } from '#test-support/sse-events.js';
import type { SnapshotEvent } from '../../src/sdk/types.js';

const WRITE_TOKEN = 'stream-restart-write-token-0123';
const policy = (note: string) => `# ${note}
auth:
  tokens:
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [write] }
kpis: []
`;

const children: ChildProcess[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Starts `kpi-lights serve` in a child process and answers its URL once it listens. */
async function serveInChild(configPath: string, dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'src/server/cli/cli.ts', 'serve'],
      ...['--config', configPath, '--data-dir', dataDir, '--port', '0'],
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${out}`)),
    );
  });
  return { child, url };
}

function killHard(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    child.once('exit', (_code, signal) => resolve(signal));
    child.kill('SIGKILL');
  });
}

async function put(url: string, text: string): Promise<number> {
  const etag = (await fetch(`${url}/api/v1/policy`)).headers.get('etag') ?? '';
  const res = await fetch(`${url}/api/v1/policy`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${WRITE_TOKEN}`,
      'x-policy-reason': 'restart drill',
      'if-match': etag,
    },
    body: text,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: number }).version;
}

describe('the stream after kill -9 and a restart', () => {
  it('answers an id from the dead process with a fresh snapshot first', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-stream-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    const dataDir = join(dir, 'data');
    writeFileSync(configPath, policy('v1'));

    const first = await serveInChild(configPath, dataDir);
    const stream = await fetch(`${first.url}/api/v1/stream`);
    // Two accepted changes: each is a `snapshot` event, so the viewer's last id ends in -2.
    const seen = readSseEvents(stream, (got) => got.length >= 3);
    expect(await put(first.url, policy('v2'))).toBe(2);
    expect(await put(first.url, policy('v3'))).toBe(3);
    const before = await seen;
    const lastId = before[2].id!;
    const [epoch] = lastId.split('-');
    expect(before.map((e) => e.id)).toEqual([`${epoch}-0`, `${epoch}-1`, `${epoch}-2`]);

    expect(await killHard(first.child)).toBe('SIGKILL');
    const second = await serveInChild(configPath, dataDir);
    // The new process counts from 0 again: after three changes its newest event is number 3,
    // past the old viewer's 2, so a bare number would have looked like "one event missed".
    for (const note of ['v4', 'v5', 'v6']) await put(second.url, policy(note));
    const started = performance.now();
    const resumed = await fetch(`${second.url}/api/v1/stream`, {
      headers: { 'last-event-id': lastId },
    });
    const [firstEvent] = await readSseEvents(resumed, (got) => got.length >= 1);
    const elapsedMs = performance.now() - started;

    expect(firstEvent.event).toBe('snapshot');
    const [newEpoch, n] = firstEvent.id!.split('-');
    expect(newEpoch).toMatch(/^[0-9a-f]{12}$/);
    expect(newEpoch).not.toBe(epoch);
    expect(n).toBe('3');
    expect((JSON.parse(firstEvent.data) as SnapshotEvent).policyVersion).toBe(6);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});
