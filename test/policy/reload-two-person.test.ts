/** Reloads under the two-person rule: attributed to who asked, and a changed file is a proposal, never a version one person made. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyProposalInfo, PolicyVersionInfo } from '../../src/sdk/types.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

const ALICE = 'alice-write-token-0123456789';
const BOB = 'bob-write-token-0123456789ab';

const policy = (warning: number) => `targets:
  - url: http://127.0.0.1:9/metrics
    labels: { service: efile }
kpis:
  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: ${warning}, critical: 0.5 } }
auth:
  tokens:
    - { name: alice, token: ${ALICE}, scopes: [read, write] }
    - { name: bob, token: ${BOB}, scopes: [read, write] }
governance: { two_person: true }
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-reload-2p-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(configPath: string, dataDir: string, messages: string[] = []) {
  const server = await startServer({
    configPath,
    dataDir,
    port: 0,
    processMetrics: false,
    engineWorker: false,
    // A file the server cannot write back to, as a read-only policy file is.
    writeBack: false,
    report: (message) => messages.push(message),
  });
  cleanups.push(() => server.close());
  return server;
}

const call = (server: ServerHandle, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

const versions = async (server: ServerHandle) =>
  (await (await fetch(`${server.url}/api/v1/policy/versions`)).json()) as PolicyVersionInfo[];

const warningInForce = async (server: ServerHandle) =>
  server.app.current().policy.kpis[0].thresholds.warning;

describe('reloading under the two-person rule', () => {
  it('POST /-/reload makes a proposal by the token that asked; only another token approves it', async () => {
    const dir = tempDir();
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(config, policy(0.9));
    const server = await serve(config, join(dir, 'data'));

    writeFileSync(config, policy(0.8));
    const res = await call(server, '/-/reload', ALICE, {
      method: 'POST',
      headers: { 'x-policy-reason': 'file edited in the repo' },
    });
    expect(res.status).toBe(202);
    const proposal = (await res.json()) as PolicyProposalInfo;
    expect(proposal).toMatchObject({ author: 'alice', reason: 'file edited in the repo' });
    expect(proposal.state).toBe('pending');
    expect((await versions(server)).length).toBe(1);
    expect(await warningInForce(server)).toBe(0.9);
    // The same file reloaded again finds the same proposal.
    const again = await call(server, '/-/reload', ALICE, { method: 'POST' });
    expect(((await again.json()) as PolicyProposalInfo).id).toBe(proposal.id);

    const self = await call(server, `/api/v1/policy/proposals/${proposal.id}/approve`, ALICE, {
      method: 'POST',
    });
    expect(self.status).toBe(403);
    const approved = await call(server, `/api/v1/policy/proposals/${proposal.id}/approve`, BOB, {
      method: 'POST',
    });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ version: 2, author: 'alice', approvedBy: 'bob' });
    expect(await warningInForce(server)).toBe(0.8);
    expect(server.versions.audit(10).map((e) => [e.action, e.author, e.outcome])).toEqual([
      ['approve', 'bob', 'accepted'],
      ['approve', 'alice', 'rejected'],
      ['reload', 'alice', 'accepted'],
      ['reload', 'alice', 'accepted'],
      ['load', 'file', 'accepted'],
    ]);
  });

  it('a restart with a file that never took an approved change runs the approved version, and proposes the file', async () => {
    const dir = tempDir();
    const config = join(dir, 'kpi-lights.yaml');
    const data = join(dir, 'data');
    writeFileSync(config, policy(0.9));
    const first = await serve(config, data);
    const etag = (await fetch(`${first.url}/api/v1/policy`)).headers.get('etag')!;
    const proposed = await call(first, '/api/v1/policy/proposals', ALICE, {
      method: 'POST',
      headers: { 'if-match': etag, 'x-policy-reason': 'warn later' },
      body: policy(0.7),
    });
    const { id } = (await proposed.json()) as PolicyProposalInfo;
    await call(first, `/api/v1/policy/proposals/${id}/approve`, BOB, { method: 'POST' });
    expect(await warningInForce(first)).toBe(0.7);
    await first.close();

    // The file still says 0.9 (it was not written back): a restart must not undo the approval.
    const messages: string[] = [];
    const second = await serve(config, data, messages);
    expect(await warningInForce(second)).toBe(0.7);
    expect((await versions(second)).map((v) => v.version)).toEqual([1, 2]);
    const proposals = (await (
      await call(second, '/api/v1/policy/proposals', BOB)
    ).json()) as PolicyProposalInfo[];
    expect(proposals[0]).toMatchObject({ author: 'file', state: 'pending', baseVersion: 2 });
    expect(messages.join('\n')).toContain(
      `kpi-lights.yaml differs from version 2, which the two-person rule approved: running version 2; it is proposal ${proposals[0].id}`,
    );
  });
});
