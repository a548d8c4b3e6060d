/** The SDK client against a real KPI server: every method answers what the server holds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '#test-support/sdk-server.js';
import { waitFor } from '#test-support/wait-for.js';
import {
  createClient,
  HttpError,
  type KpiBudgetHistory,
  type KpiHistory,
  type KpiReading,
  type PolicyDocument,
  type PolicyVersionInfo,
  type TargetHealth,
} from '../../src/sdk/index.js';

let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer();
  await waitFor(() => s.handle.evaluator.readings().some((r) => r.value !== null));
});
afterAll(() => s?.close());

describe('createClient against a running server', () => {
  it('reads every KPI and one KPI as the evaluator holds them, judged fresh', async () => {
    const client = createClient({ baseUrl: s.url });
    const all: KpiReading[] = await client.kpis();
    expect(all.map((r) => r.id)).toEqual(['depth', 'error-share']);
    const depth: KpiReading = await client.kpi('depth');
    const held = s.handle.evaluator.reading('depth')!;
    expect(depth).toMatchObject({
      id: 'depth',
      unit: 'count',
      thresholds: { warning: 10, critical: 20 },
      policyVersion: held.policyVersion,
      stale: false,
    });
    expect(Date.parse(depth.staleAfter) - Date.parse(depth.evaluatedAt)).toBe(2_000);
    expect((await client.kpi('error-share')).value).toBeCloseTo(0.1);
  });

  it('rejects an unknown KPI with an HttpError carrying the problem body', async () => {
    const client = createClient({ baseUrl: `${s.url}/` });
    const err = await client.kpi('no such kpi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 404, problem: { status: 404 } });
    expect((err as HttpError).problem?.detail).toContain('no such kpi');
  });

  it('reads history with Date, ms and RFC 3339 bounds and a duration or ms step', async () => {
    const client = createClient({ baseUrl: s.url });
    // The first round may have read only the other KPI yet; wait for depth's value in history.
    const held = (to: number) =>
      s.handle.history.query('depth', { from: to - 60_000, to, stepMs: 10_000 });
    await waitFor(() => held(Date.now()).v.some((v) => v === 1));
    const to = Date.now();
    const from = to - 60_000;
    const a: KpiHistory = await client.history('depth', { from: new Date(from), to, step: '10s' });
    const b = await client.history('depth', {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step: 10_000,
    });
    expect(a).toMatchObject({ id: 'depth', from, to, step: 10_000 });
    expect(b).toEqual(a);
    expect(a.v).toEqual(held(to).v);
    expect(a.v.some((v) => v === 1)).toBe(true);
    await expect(client.history('depth', { step: 'fortnight' })).rejects.toMatchObject({
      status: 400,
      problem: { parameter: 'step' },
    });
  });

  it('reads the burn-down of an error budget, ending where the reading’s budget stands', async () => {
    const client = createClient({ baseUrl: s.url });
    await waitFor(() => s.handle.evaluator.reading('error-share')?.budget !== undefined);
    const burn: KpiBudgetHistory = await client.budgetHistory('error-share');
    expect(burn).toMatchObject({ id: 'error-share', objective: 0.8, window: '30d' });
    expect(burn.remaining.length).toBeGreaterThan(0);
    // Spending 0.1 of a 0.2 allowance: half the budget left, as the reading says.
    expect(burn.remaining.at(-1)).toBeCloseTo(0.5, 2);
    await expect(client.budgetHistory('depth')).rejects.toMatchObject({ status: 404 });
  });

  it('reads targets, the policy and its versions', async () => {
    const client = createClient({ baseUrl: s.url });
    const targets: TargetHealth[] = await client.targets();
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ job: 'efile', health: 'up', lastError: null });
    const policy: PolicyDocument = await client.policy();
    expect(policy.version).toBe(s.handle.versions.list().at(-1)?.version);
    expect(policy.text).toContain('id: depth');
    expect(policy.text).not.toContain('sdk-test-read-token');
    const versions: PolicyVersionInfo[] = await client.policyVersions();
    expect(versions).toEqual(s.handle.versions.list());
  });
});
