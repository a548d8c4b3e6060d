/** The SSE hub over real sockets and in process: order, replay from Last-Event-ID, slow viewers. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { readSseEvents } from '#test-support/sse-events.js';
import { waitFor } from '#test-support/wait-for.js';
import { SseHub } from './sse-hub.js';

/** The first `count` events of a stream. */
const readEvents = (res: Response, count: number) =>
  readSseEvents(res, (got) => got.length >= count);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

function start(hub: SseHub): Promise<string> {
  const app = new Hono();
  app.get('/stream', (c) => hub.connect(c));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve(`http://127.0.0.1:${(info as AddressInfo).port}/stream`);
    });
    cleanups.push(() => {
      hub.close();
      server.close();
    });
  });
}

describe('SseHub', () => {
  it('sends a snapshot first, then every event exactly once and in order, to many viewers', async () => {
    const hub = new SseHub({ snapshot: () => ({ kpis: [] }) });
    const url = await start(hub);
    const viewers = 40;
    const events = 100;
    const responses = await Promise.all(Array.from({ length: viewers }, () => fetch(url)));
    await waitFor(() => hub.stats.clients === viewers);
    const reads = responses.map((res) => readEvents(res, events + 1));
    for (let i = 0; i < events; i++) hub.publish('kpi', { n: i });
    for (const got of await Promise.all(reads)) {
      expect(got[0].event).toBe('snapshot');
      const ns = got.slice(1).map((e) => JSON.parse(e.data).n);
      expect(ns).toEqual(Array.from({ length: events }, (_, i) => i));
      expect(got.slice(1).map((e) => e.id)).toEqual(ns.map((n: number) => `${hub.epoch}-${n + 1}`));
    }
  });

  it('resumes from Last-Event-ID with just the missed events', async () => {
    const hub = new SseHub();
    const url = await start(hub);
    for (let i = 0; i < 5; i++) hub.publish('kpi', { n: i });
    const res = await fetch(url, { headers: { 'Last-Event-ID': `${hub.epoch}-3` } });
    const got = await readEvents(res, 2);
    expect(got.map((e) => [e.id, JSON.parse(e.data).n])).toEqual([
      [`${hub.epoch}-4`, 3],
      [`${hub.epoch}-5`, 4],
    ]);
  });

  it.each([
    ['another epoch', '0a0b0c0d0e0f-3'],
    ['a bare number', '3'],
    ['an id ahead of the hub', 'EPOCH-9'],
    ['garbage', 'EPOCH-3x'],
  ])('sends a fresh snapshot for %s', async (_what, lastId) => {
    const hub = new SseHub({ snapshot: () => 'now' });
    const url = await start(hub);
    for (let i = 0; i < 5; i++) hub.publish('kpi', { n: i });
    const headers = { 'Last-Event-ID': lastId.replace('EPOCH', hub.epoch) };
    const got = await readEvents(await fetch(url, { headers }), 1);
    expect(got[0]).toEqual({ id: `${hub.epoch}-5`, event: 'snapshot', data: '"now"' });
  });

  it('draws a new epoch for every hub', () => {
    const epochs = new Set(Array.from({ length: 20 }, () => new SseHub().epoch));
    expect(epochs.size).toBe(20);
    for (const e of epochs) expect(e).toMatch(/^[0-9a-f]{12}$/);
  });

  it('sends a fresh snapshot when the missed events are no longer kept', async () => {
    const hub = new SseHub({ replayEvents: 2, snapshot: () => 'now' });
    const url = await start(hub);
    for (let i = 0; i < 5; i++) hub.publish('kpi', { n: i });
    const headers = { 'Last-Event-ID': `${hub.epoch}-1` };
    const got = await readEvents(await fetch(url, { headers }), 1);
    expect(got[0]).toEqual({ id: `${hub.epoch}-5`, event: 'snapshot', data: '"now"' });
  });

  it('works in-process through app.request and forgets a viewer that leaves', async () => {
    const hub = new SseHub({ snapshot: () => ({ ok: true }) });
    const app = new Hono();
    app.get('/stream', (c) => hub.connect(c));
    const res = await app.request('/stream');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(hub.stats.clients).toBe(1);
    const reading = readEvents(res, 2);
    hub.publish('alert', { name: 'x' });
    const got = await reading;
    expect(got.map((e) => e.event)).toEqual(['snapshot', 'alert']);
    await waitFor(() => hub.stats.clients === 0);
    hub.close();
  });

  it('cuts off a viewer that stops reading instead of buffering without bound', async () => {
    const hub = new SseHub({ maxBufferedBytes: 64 * 1024 });
    const app = new Hono();
    app.get('/stream', (c) => hub.connect(c));
    await app.request('/stream'); // never read
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 20; i++) hub.publish('kpi', big);
    expect(hub.stats.clients).toBe(0);
    expect(hub.stats.clientsDropped).toBe(1);
    hub.close();
  });
});
