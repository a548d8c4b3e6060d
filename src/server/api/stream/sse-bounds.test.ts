/** The stream's bounds: a replay ring bounded by bytes, resumes served whole or as a snapshot, streams capped per client and in total. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readSseEvents } from '#test-support/sse-events.js';
import { SseHub } from './sse-hub.js';
import { ReplayBuffer } from './sse-replay.js';

const frame = (bytes: number) => new Uint8Array(bytes);

describe('ReplayBuffer', () => {
  it('keeps the newest events within its byte bound as well as its count', () => {
    const ring = new ReplayBuffer({ events: 1_000, bytes: 10_000 });
    for (let id = 1; id <= 500; id++) ring.push(id, frame(2_048));
    expect(ring.size).toBe(4);
    expect(ring.bytes).toBeLessThanOrEqual(10_000);
    expect(ring.since(496)).toHaveLength(4);
    expect(ring.since(495)).toBeUndefined();
    expect(ring.since(500)).toEqual([]);
  });

  it('keeps no event larger than its bound, so a resume across one is a snapshot', () => {
    const ring = new ReplayBuffer({ events: 10, bytes: 1_000 });
    ring.push(1, frame(100));
    ring.push(2, frame(5_000));
    expect(ring.size).toBe(0);
    expect(ring.since(1)).toBeUndefined();
    expect(ring.since(2)).toEqual([]);
    ring.push(3, frame(100));
    expect(ring.since(2)).toHaveLength(1);
  });

  it('still bounds by count, and stays correct across many evictions', () => {
    const ring = new ReplayBuffer({ events: 3, bytes: 1 << 20 });
    for (let id = 1; id <= 10_000; id++) ring.push(id, frame(id % 7));
    expect(ring.size).toBe(3);
    expect(ring.since(9_997)?.map((f) => f.byteLength)).toEqual([9_998 % 7, 9_999 % 7, 10_000 % 7]);
  });
});

function appOf(hub: SseHub) {
  return new Hono().get('/stream', (c) => hub.connect(c));
}

describe('SseHub resume', () => {
  /** 100 events of ~2 KB, as a grouped KPI's readings with long labels make them. */
  function busyHub(maxBufferedBytes: number) {
    const hub = new SseHub({ snapshot: () => 'fresh', maxBufferedBytes });
    const label = 'x'.repeat(2_000);
    for (let n = 1; n <= 100; n++) hub.publish('kpi', { n, label });
    return hub;
  }

  it('sends the missed events whole when they fit the viewer buffer', async () => {
    const hub = busyHub(64 * 1024);
    const res = await appOf(hub).request('/stream', {
      headers: { 'Last-Event-ID': `${hub.epoch}-90` },
    });
    const got = await readSseEvents(res, (e) => e.length >= 10);
    expect(got.map((e) => JSON.parse(e.data).n)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    hub.close();
  });

  it('sends a fresh snapshot, never part of them, when the missed events pass the buffer', async () => {
    const hub = busyHub(64 * 1024);
    // 99 events of 2 KB: all kept (1 MiB ring), but 200 KB is more than this viewer may queue.
    const res = await appOf(hub).request('/stream', {
      headers: { 'Last-Event-ID': `${hub.epoch}-1` },
    });
    const [first] = await readSseEvents(res, (e) => e.length >= 1);
    expect(first).toEqual({ id: `${hub.epoch}-100`, event: 'snapshot', data: '"fresh"' });
    expect(hub.stats.clientsDropped).toBe(0);
    hub.close();
  });

  it('over a real socket: events after the snapshot follow on with no gap', async () => {
    const hub = busyHub(64 * 1024);
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: appOf(hub).fetch, hostname: '127.0.0.1', port: 0 }, () =>
        resolve(s as Server),
      ) as Server;
    });
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/stream`, {
        headers: { 'Last-Event-ID': `${hub.epoch}-1` },
      });
      const reading = readSseEvents(res, (e) => e.length >= 3);
      hub.publish('kpi', { n: 101 });
      hub.publish('kpi', { n: 102 });
      const got = await reading;
      expect(got.map((e) => e.id)).toEqual([
        `${hub.epoch}-100`,
        `${hub.epoch}-101`,
        `${hub.epoch}-102`,
      ]);
      expect(got[0].event).toBe('snapshot');
    } finally {
      hub.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('SseHub caps', () => {
  it('refuses a client past its share with 429 and everyone past the total with 503', async () => {
    const hub = new SseHub({ maxClients: 3, maxClientsPerAddress: 2, retryMs: 5_000 });
    const app = appOf(hub);
    // In process every viewer has the same address, "local".
    const open = [await app.request('/stream'), await app.request('/stream')];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await app.request('/stream');
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toBe('application/problem+json');
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await third.json()).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail:
        'this client address holds its most event streams (2); close one, or share one stream per page',
    });
    expect(hub.stats.refused).toEqual({ total: 0, perClient: 1 });
    // A viewer leaving makes room again.
    await open[0].body?.cancel();
    expect(hub.stats.clients).toBe(1);
    expect((await app.request('/stream')).status).toBe(200);
    hub.close();
    expect(hub.stats.clients).toBe(0);
  });

  it('answers 503 when all streams are taken', async () => {
    const hub = new SseHub({ maxClients: 1, maxClientsPerAddress: 0 });
    const app = appOf(hub);
    expect((await app.request('/stream')).status).toBe(200);
    const refused = await app.request('/stream');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { detail: string }).detail).toBe(
      'the server holds its most event streams (1); try again later',
    );
    expect(hub.stats.refused).toEqual({ total: 1, perClient: 0 });
    hub.close();
  });
});
