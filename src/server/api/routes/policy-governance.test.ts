/** Governed policy changes over the real app and SQLite: one version each, rollback, If-Match, audit, two-person rule. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKpiAppFixture,
  type KpiAppFixture,
  policyText,
  READ_TOKEN,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';
import type {
  PolicyAuditEntry,
  PolicyProposalDetail,
  PolicyProposalInfo,
  PolicyVersionDetail,
  PolicyVersionInfo,
  ProblemDetails,
} from '../../../sdk/types.js';

let f: KpiAppFixture;
beforeEach(() => {
  f = createKpiAppFixture();
});
afterEach(() => f.close());

const SECOND_TOKEN = 'second-write-token-0123456789';
const etag = async () => (await f.request('/api/v1/policy')).headers.get('etag') ?? '';
const versions = async () =>
  (await (await f.request('/api/v1/policy/versions')).json()) as PolicyVersionInfo[];
const audit = async () =>
  (await (
    await f.request('/api/v1/policy/audit', { token: WRITE_TOKEN })
  ).json()) as PolicyAuditEntry[];
const send = (
  path: string,
  method: string,
  opts: { body?: string; token?: string; reason?: string; ifMatch?: string } = {},
) =>
  f.request(path, {
    method,
    body: opts.body,
    token: opts.token ?? WRITE_TOKEN,
    headers: {
      ...(opts.reason !== undefined && { 'x-policy-reason': opts.reason }),
      ...(opts.ifMatch !== undefined && { 'if-match': opts.ifMatch }),
    },
  });

/** The fixture's policy with a second write token, and the two-person rule when asked. */
const withSecond = (warning: number, twoPerson = false) =>
  policyText({ errorWarning: warning })
    .replace('cors:', `governance: { two_person: ${twoPerson} }\ncors:`)
    .replace(
      `    - { name: deploy,`,
      `    - { name: lead, token: ${SECOND_TOKEN}, scopes: [write] }\n    - { name: deploy,`,
    );

describe('governed policy changes', () => {
  it('makes each change exactly one version with a diff; a refused one makes none but is logged', async () => {
    const ok = await send('/api/v1/policy', 'PUT', {
      body: policyText({ errorWarning: 0.02 }),
      reason: 'warn later',
      ifMatch: await etag(),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(
      `"${((await ok.clone().json()) as PolicyVersionInfo).hash}"`,
    );
    const refused = await send('/api/v1/policy', 'PUT', {
      body: 'kpis: 3\n',
      reason: 'oops',
      ifMatch: await etag(),
    });
    expect(refused.status).toBe(400);
    const noReason = await send('/api/v1/policy', 'PUT', {
      body: policyText({ errorWarning: 0.05 }),
      ifMatch: await etag(),
    });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as ProblemDetails).title).toBe('Reason required');
    expect((await versions()).map((v) => [v.version, v.author, v.reason])).toEqual([
      [1, 'test', 'fixture'],
      [2, 'deploy', 'warn later'],
    ]);
    const detail = (await (
      await f.request('/api/v1/policy/versions/2')
    ).json()) as PolicyVersionDetail;
    expect(detail.diff).toContain('-    thresholds: { warning: 0.01, critical: 0.03 }');
    expect(detail.diff).toContain('+    thresholds: { warning: 0.02, critical: 0.03 }');
    expect(detail.text).not.toContain(WRITE_TOKEN);
    expect(detail.diff).not.toContain(WRITE_TOKEN);
    expect(
      (await audit()).map((e) => [e.action, e.author, e.reason, e.outcome, e.version]),
    ).toEqual([
      ['change', 'deploy', '', 'rejected', null],
      ['change', 'deploy', 'oops', 'rejected', null],
      ['change', 'deploy', 'warn later', 'accepted', 2],
      ['change', 'test', 'fixture', 'accepted', 1],
    ]);
  });

  it('rolls back to an old version byte for byte, as a new version', async () => {
    const original = f.server.current().text;
    await send('/api/v1/policy', 'PUT', {
      body: policyText({ errorWarning: 0.02 }),
      reason: 'warn later',
      ifMatch: await etag(),
    });
    const res = await send('/api/v1/policy/rollback?version=1', 'POST', {
      reason: 'too quiet',
      ifMatch: await etag(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 3, author: 'deploy', rollbackOf: 1 });
    expect(f.versions.get(3)?.text).toBe(original);
    expect(f.server.current().text).toBe(original);
    expect(f.server.current().policy.kpis[0].thresholds.warning).toBe(0.01);
    // A JSON body works too; an unknown version is 404 and logged.
    const missing = await f.request('/api/v1/policy/rollback', {
      method: 'POST',
      token: WRITE_TOKEN,
      headers: { 'content-type': 'application/json', 'if-match': await etag() },
      body: JSON.stringify({ version: 9, reason: 'typo' }),
    });
    expect(missing.status).toBe(404);
    expect((await audit())[0]).toMatchObject({ action: 'rollback', outcome: 'rejected' });
  });

  it('answers a stale If-Match with 409 naming the version in force, and both versions stay', async () => {
    const seen = await etag();
    const first = await send('/api/v1/policy', 'PUT', {
      body: policyText({ errorWarning: 0.02 }),
      reason: 'one writer',
      ifMatch: seen,
    });
    expect(first.status).toBe(200);
    const second = await send('/api/v1/policy', 'PUT', {
      body: policyText({ errorWarning: 0.005 }),
      reason: 'another writer',
      ifMatch: seen,
    });
    expect(second.status).toBe(409);
    const body = (await second.json()) as ProblemDetails & { currentVersion: number };
    expect(body.currentVersion).toBe(2);
    expect(body.detail).toMatch(/^the policy is at version 2 /);
    expect((await versions()).map((v) => v.version)).toEqual([1, 2]);
    expect(f.versions.get(1)?.text).toBe(policyText());
    expect(f.versions.get(2)?.text).toBe(policyText({ errorWarning: 0.02 }));
    expect((await audit())[0]).toMatchObject({ reason: 'another writer', outcome: 'rejected' });
    const missing = await send('/api/v1/policy', 'PUT', { body: policyText(), reason: 'no etag' });
    expect(missing.status).toBe(428);
  });

  it('refuses changes without a write token, and keeps the audit log from readers', async () => {
    const ifMatch = await etag();
    expect(
      (await send('/api/v1/policy/rollback?version=1', 'POST', { token: '', ifMatch })).status,
    ).toBe(401);
    expect(
      (await send('/api/v1/policy/rollback?version=1', 'POST', { token: READ_TOKEN, ifMatch }))
        .status,
    ).toBe(403);
    expect((await send('/api/v1/policy/proposals', 'POST', { token: READ_TOKEN })).status).toBe(
      403,
    );
    expect((await f.request('/api/v1/policy/audit', { token: READ_TOKEN })).status).toBe(403);
    expect((await f.request('/api/v1/policy/audit')).status).toBe(401);
    expect((await versions()).length).toBe(1);
  });

  it('says which version was in force at a time', async () => {
    const res = await f.request(`/api/v1/policy/in-force?at=${new Date().toISOString()}`);
    expect(((await res.json()) as PolicyVersionInfo).version).toBe(1);
    expect((await f.request('/api/v1/policy/in-force?at=2001-01-01T00:00:00Z')).status).toBe(404);
    expect((await f.request('/api/v1/policy/in-force?at=yesterday')).status).toBe(400);
  });

  it('under the two-person rule, takes a change only when another token approves it', async () => {
    const armed = await send('/api/v1/policy', 'PUT', {
      body: withSecond(0.01, true),
      reason: 'two people from now on',
      ifMatch: await etag(),
    });
    expect(armed.status).toBe(200);
    const direct = await send('/api/v1/policy', 'PUT', {
      body: withSecond(0.02, true),
      reason: 'alone',
      ifMatch: await etag(),
    });
    expect(direct.status).toBe(403);
    const proposed = await send('/api/v1/policy/proposals', 'POST', {
      body: withSecond(0.02, true),
      reason: 'warn later',
      ifMatch: await etag(),
    });
    expect(proposed.status).toBe(201);
    const proposal = (await proposed.json()) as PolicyProposalInfo;
    expect(proposal).toMatchObject({ state: 'pending', author: 'deploy', baseVersion: 2 });
    expect((await versions()).length).toBe(2);

    // The approver reviews the redacted text and its diff from the version in force.
    const review = (await (
      await f.request(`/api/v1/policy/proposals/${proposal.id}`, { token: SECOND_TOKEN })
    ).json()) as PolicyProposalDetail;
    expect(review.diff).toContain('+    thresholds: { warning: 0.02, critical: 0.03 }');
    expect(review.text).not.toContain(WRITE_TOKEN);
    expect(review.text).not.toContain(SECOND_TOKEN);

    const self = await send(`/api/v1/policy/proposals/${proposal.id}/approve`, 'POST');
    expect(self.status).toBe(403);
    expect(((await self.json()) as ProblemDetails).title).toBe('Self-approval');
    expect((await versions()).length).toBe(2);

    const approved = await send(`/api/v1/policy/proposals/${proposal.id}/approve`, 'POST', {
      token: SECOND_TOKEN,
    });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({
      version: 3,
      author: 'deploy',
      reason: 'warn later',
      approvedBy: 'lead',
    });
    expect(f.server.current().policy.kpis[0].thresholds.warning).toBe(0.02);
    const again = await send(`/api/v1/policy/proposals/${proposal.id}/approve`, 'POST', {
      token: SECOND_TOKEN,
    });
    expect(again.status).toBe(409);
    expect((await audit()).slice(0, 3).map((e) => [e.action, e.author, e.outcome])).toEqual([
      ['approve', 'lead', 'rejected'],
      ['approve', 'lead', 'accepted'],
      ['approve', 'deploy', 'rejected'],
    ]);
  });
});
