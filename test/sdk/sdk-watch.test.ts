/** `watch` against a real KPI server: restart without duplicates or gaps, abort, token auth. */
import { afterEach, describe, expect, it } from 'vitest';
import { READ_TOKEN, type SdkServer, startSdkServer } from '#test-support/sdk-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { platformRuntime } from '../../src/sdk/client-runtime.js';
import { createClientWith } from '../../src/sdk/create-client.js';
import { HttpError, type KpiReading, type WatchEvent } from '../../src/sdk/index.js';

// Real sockets and a real server, but reconnects come after 50 ms rather than the server's 3 s.
const runtime = {
  ...platformRuntime,
  sleep: (ms: number, signal?: AbortSignal) => platformRuntime.sleep(Math.min(ms, 50), signal),
};

let s: SdkServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Iterates in the background, keeping every event. */
function collect(iterator: AsyncIterableIterator<WatchEvent>) {
  const events: WatchEvent[] = [];
  const done = (async () => {
    for await (const e of iterator) events.push(e);
  })();
  return { events, done };
}

const key = (r: KpiReading) => `${r.id}@${r.evaluatedAt}`;
const kpiKeys = (events: readonly WatchEvent[]) =>
  events.flatMap((e) => (e.type === 'kpi' ? [key(e.data)] : []));

describe('watch', () => {
  it('goes on across a server restart with no repeat and no gap, after a fresh snapshot', async () => {
    s = await startSdkServer();
    const server = s;
    const published: string[] = [];
    // Every kpi event the running server's hub sends, to compare with what watch yields.
    const record = () => {
      const hub = server.handle.app.hub;
      const send = hub.publish.bind(hub);
      hub.publish = (type, data) => {
        if (type === 'kpi') published.push(key(data as KpiReading));
        return send(type, data);
      };
    };
    record();
    const client = createClientWith({ baseUrl: server.url }, runtime);
    const abort = new AbortController();
    const { events, done } = collect(client.watch({ signal: abort.signal }));

    await waitFor(() => events.some((e) => e.type === 'snapshot'));
    const from = published.length;
    server.setDepth(12);
    await waitFor(() => events.some((e) => e.type === 'kpi' && e.data.value === 12));
    // Everything the first server published while the viewer watched reached it.
    const firstRun = published.slice(from);
    await waitFor(() => firstRun.every((k) => kpiKeys(events).includes(k)));

    await server.stop();
    await waitFor(() => events.some((e) => e.type === 'disconnected'));
    server.setDepth(25);
    await server.start();
    record();
    await waitFor(() => events.filter((e) => e.type === 'snapshot').length === 2);
    const second = published.length;
    server.setDepth(3);
    await waitFor(() => events.some((e) => e.type === 'kpi' && e.data.value === 3));
    const secondRun = published.slice(second);
    await waitFor(() => secondRun.every((k) => kpiKeys(events).includes(k)));
    abort.abort();
    await done;

    const types = events.map((e) => e.type).filter((t) => t !== 'kpi');
    expect(types).toEqual(['snapshot', 'disconnected', 'connected', 'snapshot']);
    const keys = kpiKeys(events);
    expect(new Set(keys).size).toBe(keys.length);
    const snapshots = events.flatMap((e) => (e.type === 'snapshot' ? [e.data] : []));
    const afterRestart = events.indexOf(events.filter((e) => e.type === 'snapshot')[1]);
    expect(events.slice(afterRestart).some((e) => e.type === 'disconnected')).toBe(false);
    // It may come before the new server's first round; its readings, or the changes after it,
    // cover every KPI.
    const seenAfter = new Set([
      ...snapshots[1].kpis.map((r) => r.id),
      ...events.slice(afterRestart).flatMap((e) => (e.type === 'kpi' ? [e.data.id] : [])),
    ]);
    expect(seenAfter).toEqual(new Set(['depth', 'error-share']));
    const disconnected = events.find((e) => e.type === 'disconnected');
    expect(disconnected).toMatchObject({ error: expect.any(Error), since: expect.any(Number) });
  });

  it('filters by KPI and ends, releasing the connection, when the signal aborts', async () => {
    s = await startSdkServer();
    const server = s;
    const client = createClientWith({ baseUrl: server.url }, runtime);
    const abort = new AbortController();
    const { events, done } = collect(client.watch({ kpis: ['depth'], signal: abort.signal }));
    await waitFor(() => events.some((e) => e.type === 'snapshot'));
    server.setDepth(7);
    await waitFor(() => events.some((e) => e.type === 'kpi' && e.data.value === 7));
    expect(server.handle.app.hub.stats.clients).toBe(1);
    abort.abort();
    await done;
    await waitFor(() => server.handle.app.hub.stats.clients === 0);
    const ids = events.flatMap((e) =>
      e.type === 'kpi' ? [e.data.id] : e.type === 'snapshot' ? e.data.kpis.map((r) => r.id) : [],
    );
    expect(new Set(ids)).toEqual(new Set(['depth']));
  });

  it('sends the token on the stream, and stops on a 401 without one', async () => {
    s = await startSdkServer('token');
    const anonymous = createClientWith({ baseUrl: s.url }, runtime);
    const refused = await anonymous
      .watch()
      .next()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 401 });

    const reader = createClientWith({ baseUrl: s.url, token: READ_TOKEN }, runtime);
    const abort = new AbortController();
    const first = await reader.watch({ signal: abort.signal }).next();
    expect(first.value).toMatchObject({ type: 'snapshot', data: { kpis: expect.any(Array) } });
    abort.abort();
  });
});
