/**
 * M1 and M2 on a real server: a change that touches only a secret shows as `<secret changed>`
 * in the diff an approver reviews and changes the ETag, so neither the two-person rule nor
 * If-Match can be slipped past with it; the hash cannot be used to check a guessed token.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countingTarget, monitoringGoesOn } from '#test-support/watched-monitoring.js';
import type { PolicyProposalDetail, PolicyVersionInfo } from '../../src/sdk/types.js';
import { startServer } from '../../src/server/compose/start-server.js';

const ALICE = 'alice-write-token-0123456789';
const BOB = 'bob-write-token-0123456789ab';
const BOB_NEW = 'bob-new-token-set-by-alice-01';

const policy = (
  target: string,
  bob: string,
  twoPerson: boolean,
) => `scrape: { interval: 1s, timeout: 500ms }
targets:
  - { url: ${target}, labels: { service: efile } }
kpis:
  - { id: queue, title: Queue, query: sum(queue_depth), unit: count, thresholds: { warning: 10, critical: 20 } }
evaluation: { interval: 1s }
auth:
  tokens:
    - { name: alice, token: ${ALICE}, scopes: [read, write] }
    - { name: bob, token: ${bob}, scopes: [read, write] }
governance: { two_person: ${twoPerson} }
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function serve(twoPerson: boolean) {
  const target = await countingTarget('# TYPE queue_depth gauge\nqueue_depth 3\n');
  cleanups.push(() => target.close());
  const dir = mkdtempSync(join(tmpdir(), 'kpi-secret-change-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'kpi-lights.yaml');
  writeFileSync(configPath, policy(target.url, BOB, twoPerson));
  const server = await startServer({
    configPath,
    dataDir: join(dir, 'data'),
    port: 0,
    processMetrics: false,
    report: () => {},
  });
  cleanups.push(() => server.close());
  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
  const etag = async () => (await fetch(`${server.url}/api/v1/policy`)).headers.get('etag')!;
  return { server, target, call, etag, text: (bob: string) => policy(target.url, bob, twoPerson) };
}

describe('a change to secrets only', () => {
  it('is visible to the approver under the two-person rule, and changes the ETag', {
    timeout: 30_000,
  }, async () => {
    const { server, target, call, etag, text } = await serve(true);
    const before = await etag();
    const proposed = await call('/api/v1/policy/proposals', ALICE, {
      method: 'POST',
      headers: { 'if-match': before, 'x-policy-reason': 'tidy the token list' },
      body: text(BOB_NEW),
    });
    expect(proposed.status).toBe(201);
    const { id } = (await proposed.json()) as { id: number };
    const review = (await (
      await call(`/api/v1/policy/proposals/${id}`, BOB)
    ).json()) as PolicyProposalDetail;
    expect(review.diff).toContain(
      '+    - { name: bob, token: "<secret changed>", scopes: [read, write] }',
    );
    expect(review.diff).not.toContain('name: alice, token: "<secret changed>"');
    expect(JSON.stringify(review)).not.toContain(BOB_NEW);
    const approved = await call(`/api/v1/policy/proposals/${id}/approve`, BOB, { method: 'POST' });
    expect(approved.status).toBe(200);
    const after = await etag();
    expect(after).not.toBe(before);
    // The public hash is neither the text's nor the redacted text's: no guess can be checked.
    const shown = (await (await fetch(`${server.url}/api/v1/policy`)).json()) as { text: string };
    const sha = (t: string) => `"${createHash('sha256').update(t).digest('hex')}"`;
    expect([sha(text(BOB_NEW)), sha(shown.text)]).not.toContain(after);
    const seen = await monitoringGoesOn({ server: server.url, target });
    expect(seen.statuses).toEqual(['ok']);
  });

  it('makes a stale If-Match lose: a leaked token, once rotated, cannot be put back', {
    timeout: 30_000,
  }, async () => {
    const { server, call, etag, text } = await serve(false);
    const stale = await etag();
    const rotate = await call('/api/v1/policy', ALICE, {
      method: 'PUT',
      headers: { 'if-match': stale, 'x-policy-reason': 'rotate the leaked bob token' },
      body: text(BOB_NEW),
    });
    expect(rotate.status).toBe(200);
    expect(rotate.headers.get('etag')).not.toBe(stale);
    // A writer who read the policy before the rotation sends the old text with the old ETag.
    const restore = await call('/api/v1/policy', ALICE, {
      method: 'PUT',
      headers: { 'if-match': stale, 'x-policy-reason': 'raise a threshold' },
      body: text(BOB),
    });
    expect(restore.status).toBe(409);
    // The leaked token opens nothing any more; the new one does.
    expect((await call('/api/v1/policy/audit', BOB)).status).toBe(401);
    expect((await call('/api/v1/policy/audit', BOB_NEW)).status).toBe(200);
    const versions = (await (
      await fetch(`${server.url}/api/v1/policy/versions`)
    ).json()) as PolicyVersionInfo[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(server.app.current().policy.auth.tokens.find((t) => t.name === 'bob')?.token).toBe(
      BOB_NEW,
    );
  });
});
