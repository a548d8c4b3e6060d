import { afterEach, describe, expect, it } from 'vitest';
import {
  createKpiAppFixture,
  type KpiAppFixture,
  READ_TOKEN,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';
import { readSseEvents } from '#test-support/sse-events.js';
import { alertInfo, StubAlerting } from '#test-support/stub-alerting.js';

let f: KpiAppFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const aSilence = {
  matchers: [{ name: 'alertname', value: 'EfileErrors', isRegex: false }],
  endsAt: '2099-01-01T00:00:00Z',
  createdBy: 'jane',
  comment: 'deploy window',
};

describe('alerts and silences over the API', () => {
  it('lists the pending and firing alerts', async () => {
    const alerting = new StubAlerting();
    alerting.alerts = [alertInfo(), alertInfo({ id: 'a2', state: 'pending', firedAt: undefined })];
    f = createKpiAppFixture({ alerting });
    const res = await f.request('/api/v1/alerts');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { state: string }[]).map((a) => a.state)).toEqual([
      'firing',
      'pending',
    ]);
  });

  it('adds, lists and expires a silence with a write token only', async () => {
    const alerting = new StubAlerting();
    f = createKpiAppFixture({ alerting });
    expect((await f.request('/api/v1/silences', json(aSilence))).status).toBe(401);
    expect(
      (await f.request('/api/v1/silences', { ...json(aSilence), token: READ_TOKEN })).status,
    ).toBe(403);
    const added = await f.request('/api/v1/silences', { ...json(aSilence), token: WRITE_TOKEN });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect(await (await f.request('/api/v1/silences')).json()).toMatchObject([
      { id, status: 'active' },
    ]);
    expect((await f.request(`/api/v1/silences/${id}`, { method: 'DELETE' })).status).toBe(401);
    const expired = await f.request(`/api/v1/silences/${id}`, {
      method: 'DELETE',
      token: WRITE_TOKEN,
    });
    expect(await expired.json()).toMatchObject({ id, status: 'expired' });
    const missing = await f.request('/api/v1/silences/nope', {
      method: 'DELETE',
      token: WRITE_TOKEN,
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a bad silence with a problem naming the field', async () => {
    f = createKpiAppFixture({ alerting: new StubAlerting() });
    const post = (body: unknown) =>
      f!.request('/api/v1/silences', { ...json(body), token: WRITE_TOKEN });
    const cases: [unknown, string][] = [
      [{ ...aSilence, endsAt: 3 }, 'endsAt'],
      [{ ...aSilence, matchers: [{ name: 'a', value: 'b' }] }, 'matchers.0.isRegex'],
      [{ ...aSilence, matchers: [] }, 'matchers'],
      [{ ...aSilence, startsAt: '2100-01-01T00:00:00Z' }, 'endsAt'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 400, field });
    }
    const notJson = await f.request('/api/v1/silences', {
      method: 'POST',
      body: '{',
      token: WRITE_TOKEN,
    });
    expect(await notJson.json()).toMatchObject({ status: 400, field: 'body' });
  });

  it('puts alerts in the snapshot and each change on the stream', async () => {
    const alerting = new StubAlerting();
    alerting.alerts = [alertInfo({ state: 'pending', firedAt: undefined })];
    f = createKpiAppFixture({ alerting });
    f.server.start();
    const res = await f.request('/api/v1/stream');
    const got = readSseEvents(res, (events) => events.some((e) => e.event === 'alert'));
    // The viewer is connected once its snapshot is out; the change comes after it.
    await new Promise((resolve) => setImmediate(resolve));
    alerting.emit(alertInfo());
    const events = await got;
    expect(JSON.parse(events[0].data).alerts).toMatchObject([{ id: 'a1', state: 'pending' }]);
    expect(JSON.parse(events.find((e) => e.event === 'alert')!.data)).toMatchObject({
      id: 'a1',
      state: 'firing',
    });
    await f.server.stop();
    expect(alerting.listenerCount).toBe(0);
  });

  it('has no alert routes without the alert core', async () => {
    f = createKpiAppFixture();
    expect((await f.request('/api/v1/alerts')).status).toBe(404);
  });
});
