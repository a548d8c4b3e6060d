/** `hc<AppType>` against the real app: the typed client compiles for real routes and not for made-up ones. */
import { hc } from 'hono/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createKpiAppFixture, type KpiAppFixture } from '#test-support/kpi-app-fixture.js';
import type { AppType } from './app.js';

const T0 = Date.UTC(2026, 10, 24, 12);
let f: KpiAppFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** A client whose requests go straight into the app, no port needed. */
function client(fixture: KpiAppFixture) {
  return hc<AppType>('http://kpi-lights.test', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fixture.server.app.request(input instanceof Request ? input : String(input), init),
  });
}

describe('typed client over AppType', () => {
  it('reaches the v1 routes by their typed paths', async () => {
    f = createKpiAppFixture();
    f.source.values.set('avg(up)', 1);
    await f.evaluator.evaluate(T0);
    const api = client(f);

    const list = await api.api.v1.kpis.$get();
    expect(list.status).toBe(200);
    const one = await api.api.v1.kpis[':id'].$get({ param: { id: 'availability' } });
    expect(one.status).toBe(200);
    const history = await api.api.v1.kpis[':id'].history.$get({ param: { id: 'availability' } });
    expect(history.status).toBe(200);
    expect((await api.api.v1.targets.$get()).status).toBe(200);
    expect((await api.api.v1.policy.versions.$get()).status).toBe(200);
    expect((await api.healthz.$get()).status).toBe(200);
  });

  it('rejects paths the app does not have, at compile time', () => {
    f = createKpiAppFixture();
    const api = client(f);
    // Never called: these lines exist for the type checker.
    const unreachable = () => {
      // @ts-expect-error: the API is versioned; there is no unversioned /api/kpis.
      void api.api.kpis.$get();
      // @ts-expect-error: `:id` needs its param.
      void api.api.v1.kpis[':id'].$get();
      // @ts-expect-error: the stream takes no PUT.
      void api.api.v1.stream.$put();
    };
    expect(typeof unreachable).toBe('function');
  });
});
