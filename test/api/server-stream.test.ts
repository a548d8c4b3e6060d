/** The KPI stream over a real socket: several viewers each get every change once, in order. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_ORIGIN,
  AVAILABILITY_QUERY,
  createKpiAppFixture,
  ERROR_RATE_QUERY,
  type KpiAppFixture,
} from '#test-support/kpi-app-fixture.js';
import { readSseEvents, type SseEvent } from '#test-support/sse-events.js';
import { waitFor } from '#test-support/wait-for.js';
import type { KpiReading, SnapshotEvent } from '../../src/sdk/types.js';

let f: KpiAppFixture;
let server: Server;

async function listen(): Promise<string> {
  f = createKpiAppFixture();
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: f.server.app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/stream`;
}

afterEach(async () => {
  await f.close(); // ends the streams, so the server can close
  await new Promise((r) => server.close(r));
});

const T0 = Date.UTC(2026, 10, 24, 12);
const kpiValues = (events: readonly SseEvent[]) =>
  events
    .filter((e) => e.event === 'kpi')
    .map((e) => JSON.parse(e.data) as KpiReading)
    .filter((r) => r.id === 'error-rate')
    .map((r) => r.value);

describe('GET /api/v1/stream on a real server', () => {
  it('sends each viewer the snapshot, then every change exactly once and in order', async () => {
    const url = await listen();
    f.server.start();
    f.source.values.set(AVAILABILITY_QUERY, 1);
    f.source.values.set(ERROR_RATE_QUERY, 0);
    await f.evaluator.evaluate(T0);

    const viewers = 5;
    const changes = 40;
    const responses = await Promise.all(Array.from({ length: viewers }, () => fetch(url)));
    await waitFor(() => f.server.hub.stats.clients === viewers);
    const reads = responses.map((res) =>
      readSseEvents(res, (events) => kpiValues(events).length >= changes),
    );
    for (let i = 1; i <= changes; i++) {
      f.source.values.set(ERROR_RATE_QUERY, i / 1000);
      await f.evaluator.evaluate(T0 + i * 15_000);
      // An unchanged value is no change: nothing is sent for it.
      await f.evaluator.evaluate(T0 + i * 15_000 + 1);
    }
    const expected = Array.from({ length: changes }, (_, i) => (i + 1) / 1000);
    for (const events of await Promise.all(reads)) {
      expect(events[0].event).toBe('snapshot');
      const snapshot = JSON.parse(events[0].data) as SnapshotEvent;
      expect(snapshot.kpis.map((k) => [k.id, k.value])).toEqual([
        ['error-rate', 0],
        ['availability', 1],
      ]);
      expect(kpiValues(events)).toEqual(expected);
      // Ids are `<epoch>-<n>`: one epoch per process, numbers rising.
      const ids = events.slice(1).map((e) => Number(e.id?.split('-')[1]));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('resumes from Last-Event-ID with just the missed changes', async () => {
    const url = await listen();
    f.server.start();
    f.source.values.set(AVAILABILITY_QUERY, 1);
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) {
      f.source.values.set(ERROR_RATE_QUERY, i / 100);
      await f.evaluator.evaluate(T0 + i * 15_000);
      ids.push(f.server.hub.lastEventId);
    }
    const res = await fetch(url, { headers: { 'last-event-id': ids[3] } });
    const events = await readSseEvents(res, (e) => kpiValues(e).length >= 2);
    expect(events[0].event).toBe('kpi');
    expect(kpiValues(events)).toEqual([0.05, 0.06]);
  });

  it('keeps the CORS headers of an allowed origin on the stream', async () => {
    const url = await listen();
    const res = await fetch(url, { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await res.body?.cancel();
  });

  it('ends every stream on stop', async () => {
    const url = await listen();
    f.server.start();
    const res = await fetch(url);
    await waitFor(() => f.server.hub.stats.clients === 1);
    const reading = readSseEvents(res, () => false);
    await f.server.stop();
    const events = await reading;
    expect(events.map((e) => e.event)).toEqual(['snapshot']);
    expect(f.server.hub.stats.clients).toBe(0);
  });
});
