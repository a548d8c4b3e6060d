/** The SDK's GETs on a real socket: retries, Retry-After, time limits, aborts, error classes. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { backoffDelay } from '../../src/sdk/backoff.js';
import type { ClientRuntime } from '../../src/sdk/client-runtime.js';
import { createClientWith } from '../../src/sdk/create-client.js';
import {
  type ClientOptions,
  HttpError,
  KpiLightsError,
  NetworkError,
  TimeoutError,
} from '../../src/sdk/index.js';
import { retryAfterDelay } from '../../src/sdk/retry-delay.js';

const NOW = Date.UTC(2026, 10, 24, 12);

/** A runtime whose sleeps return at once and are recorded, and whose timers fire when told. */
function scriptedRuntime() {
  const slept: number[] = [];
  const timers: (() => void)[] = [];
  const runtime: ClientRuntime = {
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
    },
    timer: (fn) => {
      timers.push(fn);
      return () => {};
    },
    random: () => 0,
    now: () => NOW,
  };
  return {
    runtime,
    slept,
    fireTimers: () => {
      for (const fn of timers.splice(0)) fn();
    },
  };
}

let server: LocalServer | undefined;
let release: () => void = () => {};
afterEach(async () => {
  release();
  await server?.close();
  server = undefined;
});

/** Serves `/api/v1/kpis` with the given answers in turn (the last one repeats); counts tries. */
async function answering(...answers: (() => Response)[]) {
  const tries = { count: 0 };
  const app = new Hono().get('/api/v1/kpis', () => {
    const answer = answers[Math.min(tries.count, answers.length - 1)];
    tries.count++;
    return answer();
  });
  server = await serveLocal(app);
  return tries;
}

const ok = () => Response.json([]);
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    Response.json(
      { type: 'about:blank', title: 'Nope', status: code, detail: `said ${code}` },
      { status: code, headers: { 'content-type': 'application/problem+json', ...headers } },
    );

function client(options: Partial<ClientOptions> = {}) {
  const scripted = scriptedRuntime();
  const c = createClientWith({ baseUrl: server!.url, ...options }, scripted.runtime);
  return { c, ...scripted };
}

describe('retries', () => {
  it('retries a 503 with jittered backoff, then answers', async () => {
    const tries = await answering(status(503), status(503), ok);
    const { c, slept } = client();
    await expect(c.kpis()).resolves.toEqual([]);
    expect(tries.count).toBe(3);
    expect(slept).toEqual([150, 300]); // 300 × 2^n, jitter factor 0.5 at random() = 0
  });

  it('waits what Retry-After says, in seconds or as a date, capped', async () => {
    const date = new Date(NOW + 5_000).toUTCString();
    await answering(
      status(429, { 'retry-after': '2' }),
      status(503, { 'retry-after': date }),
      status(503, { 'retry-after': '3600' }),
      ok,
    );
    const { c, slept } = client({ retry: { limit: 3, maxBackoffMs: 8_000 } });
    await c.kpis();
    expect(slept).toEqual([2_000, 5_000, 8_000]);
  });

  it('does not retry a 400, and the error carries status, problem and response', async () => {
    const tries = await answering(status(400), ok);
    const { c, slept } = client();
    const err = await c.kpis().catch((e: unknown) => e);
    expect(tries.count).toBe(1);
    expect(slept).toEqual([]);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toBeInstanceOf(KpiLightsError);
    const http = err as HttpError;
    expect(http.name).toBe('HttpError');
    expect(http.status).toBe(400);
    expect(http.problem).toEqual({
      type: 'about:blank',
      title: 'Nope',
      status: 400,
      detail: 'said 400',
    });
    expect(http.response.status).toBe(400);
    expect(http.message).toContain('said 400');
  });

  it('gives up after the limit with the last error, and not at all when retry is false', async () => {
    const tries = await answering(status(502));
    await expect(client({ retry: { limit: 1 } }).c.kpis()).rejects.toMatchObject({ status: 502 });
    expect(tries.count).toBe(2);
    await expect(client({ retry: false }).c.kpis()).rejects.toMatchObject({ status: 502 });
    expect(tries.count).toBe(3);
  });

  it('keeps a body that is not a problem out of `problem`', async () => {
    await answering(() => new Response('upstream exploded', { status: 500 }));
    const err = (await client({ retry: false })
      .c.kpis()
      .catch((e: unknown) => e)) as HttpError;
    expect(err.status).toBe(500);
    expect(err.problem).toBeUndefined();
  });

  it('wraps a refused connection in a NetworkError, with the cause, after retrying', async () => {
    await answering(ok);
    const url = server!.url;
    await server!.close();
    server = undefined;
    const scripted = scriptedRuntime();
    const c = createClientWith({ baseUrl: url }, scripted.runtime);
    const err = await c.kpis().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).cause).toBeInstanceOf(Error);
    expect(scripted.slept).toHaveLength(2);
  });
});

describe('time limits and aborts', () => {
  async function hanging() {
    let arrived!: () => void;
    const came = new Promise<void>((r) => (arrived = r));
    const held = new Promise<void>((r) => (release = r));
    const app = new Hono().get('/api/v1/kpis', async () => {
      arrived();
      await held;
      return Response.json([]);
    });
    server = await serveLocal(app);
    // Wrapped, or awaiting `hanging()` would wait for the request itself.
    return { came };
  }

  it('turns a try past timeoutMs into a TimeoutError, not retried', async () => {
    const { came } = await hanging();
    const { c, fireTimers, slept } = client({ timeoutMs: 1_234 });
    const pending = c.kpis().catch((e: unknown) => e);
    await came;
    fireTimers();
    const err = await pending;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ timeoutMs: 1_234, name: 'TimeoutError' });
    expect((err as TimeoutError).cause).toBeDefined();
    expect(slept).toEqual([]);
  });

  it("rejects with the caller's reason when the caller aborts, even if the timer fired too", async () => {
    const { came } = await hanging();
    const { c, fireTimers } = client();
    const abort = new AbortController();
    const pending = c.kpis({ signal: abort.signal }).catch((e: unknown) => e);
    await came;
    abort.abort();
    fireTimers();
    const err = await pending;
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    const reason = new Error('navigated away');
    await expect(c.kpis({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('retry delays', () => {
  it('doubles from the base, caps, and jitters into [0.5, 1) of the full wait', () => {
    expect(backoffDelay(0, 300, 10_000, () => 0)).toBe(150);
    expect(backoffDelay(3, 300, 10_000, () => 0.999_999)).toBe(2_400);
    expect(backoffDelay(10, 300, 10_000, () => 0)).toBe(5_000);
  });

  it('reads Retry-After seconds and dates, and ignores nonsense', () => {
    expect(retryAfterDelay('7', NOW)).toBe(7_000);
    expect(retryAfterDelay(new Date(NOW - 9_000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterDelay('soon', NOW)).toBeUndefined();
    expect(retryAfterDelay(null, NOW)).toBeUndefined();
  });
});
