/** `watch` against a scripted stream on a real socket: resume, repeats dropped, outages told once. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';
import type { ClientRuntime } from '../../src/sdk/client-runtime.js';
import { createClientWith } from '../../src/sdk/create-client.js';
import type { KpiReading, WatchEvent } from '../../src/sdk/index.js';

const NOW = Date.UTC(2026, 10, 24, 12);

const reading = (id: string, value: number): KpiReading => ({
  id,
  title: id,
  unit: 'count',
  direction: 'higher-is-worse',
  thresholds: { warning: 10, critical: 20 },
  value,
  status: 'ok',
  evaluatedAt: new Date(NOW).toISOString(),
  policyVersion: 1,
  stale: false,
  staleAfter: new Date(NOW + 30_000).toISOString(),
});

const frame = (id: number, event: string, data: unknown) =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const snapshot = (id: number, ...kpis: KpiReading[]) =>
  frame(id, 'snapshot', { policyVersion: 1, kpis, alerts: [] });

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves each connection the next scripted answer; the last one stays open until cancelled. */
async function scripted(answers: (string | number)[]) {
  const asked: (string | undefined)[] = [];
  const released = { last: false };
  const app = new Hono().get('/api/v1/stream', (c) => {
    asked.push(c.req.header('last-event-id'));
    const i = asked.length - 1;
    const answer = answers[Math.min(i, answers.length - 1)];
    if (typeof answer === 'number') return c.json({ status: answer }, answer as 503);
    const open = i >= answers.length - 1;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(answer));
        if (!open) controller.close();
      },
      cancel() {
        released.last = true;
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  server = await serveLocal(app);
  return { asked, released };
}

function runtime() {
  const slept: number[] = [];
  const rt: ClientRuntime = {
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
    },
    timer: () => () => {},
    random: () => 0,
    now: () => NOW,
  };
  return { rt, slept };
}

describe('watch resume', () => {
  it('resumes by Last-Event-ID, drops repeats, swallows heartbeats, tells each outage once', async () => {
    const { asked, released } = await scripted([
      `retry: 1000\n\n${snapshot(5, reading('a', 1), reading('b', 1))}${frame(6, 'kpi', reading('a', 2))}` +
        `${frame(7, 'heartbeat', { time: 'now' })}: comment\n\n${frame(8, 'kpi', reading('b', 2))}`,
      `${frame(7, 'heartbeat', { time: 'now' })}${frame(8, 'kpi', reading('b', 2))}${frame(9, 'kpi', reading('a', 3))}`,
      503,
      // The server restarted: its ids begin again, after a fresh snapshot.
      `${snapshot(2, reading('a', 4))}${frame(3, 'kpi', reading('a', 5))}`,
    ]);
    const { rt, slept } = runtime();
    const client = createClientWith({ baseUrl: server!.url }, rt);
    const events: WatchEvent[] = [];
    for await (const e of client.watch({ kpis: ['a'] })) {
      events.push(e);
      if (e.type === 'kpi' && e.data.value === 5) break;
    }
    const shown = events.map((e) =>
      e.type === 'kpi'
        ? `kpi ${e.data.id}=${e.data.value}`
        : e.type === 'snapshot'
          ? `snapshot ${e.data.kpis.map((r) => `${r.id}=${r.value}`).join(',')}`
          : e.type,
    );
    expect(shown).toEqual([
      'snapshot a=1',
      'kpi a=2',
      'disconnected',
      'connected',
      'kpi a=3',
      'disconnected',
      'connected',
      'snapshot a=4',
      'kpi a=5',
    ]);
    expect(asked).toEqual([undefined, '8', '9', '9']);
    // The server's retry (1 000 ms) is the base: halved by jitter, doubled after a failed try.
    expect(slept).toEqual([500, 500, 1_000]);
    expect(events[2]).toMatchObject({ type: 'disconnected', since: NOW });
    // Stopping the loop let the connection go.
    await waitFor(() => released.last, { timeoutMs: 5_000 });
  });

  it('throws a refusal that reconnecting cannot fix', async () => {
    await scripted([403]);
    const client = createClientWith({ baseUrl: server!.url }, runtime().rt);
    await expect(client.watch().next()).rejects.toMatchObject({ name: 'HttpError', status: 403 });
  });

  it('ends at once when the signal aborts while waiting to reconnect', async () => {
    const { asked } = await scripted([503]);
    const abort = new AbortController();
    const rt: ClientRuntime = {
      ...runtime().rt,
      sleep: async () => {
        abort.abort();
        abort.signal.throwIfAborted();
      },
    };
    const events: WatchEvent[] = [];
    for await (const e of createClientWith({ baseUrl: server!.url }, rt).watch({
      signal: abort.signal,
    })) {
      events.push(e);
    }
    expect(events.map((e) => e.type)).toEqual(['disconnected']);
    expect(asked).toHaveLength(1);
  });
});

describe('watch on a silent connection', () => {
  it('takes silence past idleTimeoutMs for a dead connection and reconnects', async () => {
    const asked: (string | undefined)[] = [];
    const app = new Hono().get('/api/v1/stream', (c) => {
      asked.push(c.req.header('last-event-id'));
      const text = snapshot(asked.length, reading('a', asked.length));
      // Sends its snapshot, then nothing, and never closes: a half-open connection.
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode(text)),
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    server = await serveLocal(app);
    const timers: { fn: () => void; ms: number }[] = [];
    const rt: ClientRuntime = {
      ...runtime().rt,
      timer: (fn, ms) => {
        const entry = { fn, ms };
        timers.push(entry);
        return () => {
          const i = timers.indexOf(entry);
          if (i >= 0) timers.splice(i, 1);
        };
      },
    };
    const events: WatchEvent[] = [];
    const watch = createClientWith({ baseUrl: server.url }, rt).watch({ idleTimeoutMs: 5_000 });
    for await (const e of watch) {
      events.push(e);
      if (events.length === 1) {
        expect(timers.map((t) => t.ms)).toEqual([5_000]);
        timers[0].fn(); // five silent seconds pass
      }
      if (events.length === 4) break;
    }
    expect(events.map((e) => e.type)).toEqual([
      'snapshot',
      'disconnected',
      'connected',
      'snapshot',
    ]);
    const lost = events[1] as Extract<WatchEvent, { type: 'disconnected' }>;
    expect(lost.error.message).toContain('silent for 5000 ms');
    expect(asked).toEqual([undefined, '1']);
  });
});
