/** Fault-injection knobs of a demo service: error rate and extra latency, set by HTTP or CLI flags. */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';

/** What the knobs inject into every instrumented request. */
export interface KnobSettings {
  /** Fraction of requests answered with 503, in [0, 1]. */
  readonly errorRate: number;
  /** Milliseconds added to every request, on top of its simulated work. */
  readonly extraLatencyMs: number;
}

export const NO_FAULTS: KnobSettings = { errorRate: 0, extraLatencyMs: 0 };

/** An hour of extra latency is already absurd; the cap keeps a typo from parking requests for days. */
const MAX_LATENCY_MS = 3_600_000;

const knobPatch = z.strictObject({
  errorRate: z.number().min(0).max(1).optional(),
  extraLatencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
});

/** The knobs of one service; read on every request, so a change applies to the next request. */
export class Knobs {
  #settings: KnobSettings;

  constructor(initial: Partial<KnobSettings> = {}) {
    this.#settings = { ...NO_FAULTS, ...initial };
  }

  get settings(): KnobSettings {
    return this.#settings;
  }

  /** Changes the given knobs and keeps the rest. */
  set(patch: Partial<KnobSettings>): KnobSettings {
    this.#settings = { ...this.#settings, ...patch };
    return this.#settings;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies the knobs to a request: waits the extra latency, then fails a share of requests with
 * 503. Mount it inside the exporter's middleware so the injected faults show in the metrics.
 * `random` is injectable so tests can make the failures deterministic.
 */
export const injectFaults = (knobs: Knobs, random: () => number = Math.random): MiddlewareHandler =>
  async function injectFaults(c, next) {
    const { errorRate, extraLatencyMs } = knobs.settings;
    if (extraLatencyMs > 0) await sleep(extraLatencyMs);
    if (errorRate > 0 && random() < errorRate) {
      return c.json({ error: 'injected fault: service unavailable' }, 503);
    }
    await next();
  };

/** Loopback addresses, v4 and v6 (including v4-mapped). */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * `GET /_knobs` shows the knobs, `POST /_knobs` changes them (`{ errorRate, extraLatencyMs }`).
 * No auth: the services bind to 127.0.0.1, and as a second guard any caller not on loopback is
 * refused, so a service started on another interface by mistake still cannot be broken remotely.
 */
export function knobRoutes(knobs: Knobs): Hono {
  const app = new Hono();
  app.use(async function loopbackOnly(c, next) {
    let address: string | undefined;
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      // No Node socket (in-process `app.request`): the caller is this process itself.
      address = '127.0.0.1';
    }
    if (!address || !LOOPBACK.test(address)) {
      return c.json({ error: 'knobs are only reachable from this machine' }, 403);
    }
    await next();
  });
  app.get('/', (c) => c.json(knobs.settings));
  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'expected a JSON body like {"errorRate":0.1}' }, 400);
    }
    const parsed = knobPatch.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      return c.json({ error: 'invalid knobs', issues }, 400);
    }
    return c.json(knobs.set(parsed.data));
  });
  return app;
}

/**
 * Reads `--error-rate 0.1` and `--latency-ms 1500` (also `--flag=value`) from argv; other
 * arguments are left for the caller. Throws on a value out of range, naming the flag.
 */
export function parseKnobFlags(argv: readonly string[]): Partial<KnobSettings> {
  const out: { errorRate?: number; extraLatencyMs?: number } = {};
  const value = (i: number, flag: string): [string, number] => {
    const arg = argv[i];
    if (arg.includes('=')) return [arg.slice(arg.indexOf('=') + 1), i];
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
    return [argv[i + 1], i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].split('=')[0];
    if (flag === '--error-rate') {
      const [text, next] = value(i, flag);
      const n = Number(text);
      if (text === '' || !(n >= 0 && n <= 1))
        throw new Error(`--error-rate: expected 0..1, got ${text}`);
      out.errorRate = n;
      i = next;
    } else if (flag === '--latency-ms') {
      const [text, next] = value(i, flag);
      const n = Number(text);
      if (text === '' || !Number.isInteger(n) || n < 0 || n > MAX_LATENCY_MS) {
        throw new Error(
          `--latency-ms: expected whole milliseconds 0..${MAX_LATENCY_MS}, got ${text}`,
        );
      }
      out.extraLatencyMs = n;
      i = next;
    }
  }
  return out;
}
