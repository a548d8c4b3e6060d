/** Traffic for the demo portal: files returns (also with the Python intake, when it runs) and checks their status at a steady, bounded rate. */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/shared/error-message.js';
import { type FilingRequest, FORMS } from './services/create-efile-service.js';

/** Options of {@link startTraffic}. */
export interface TrafficOptions {
  /** Base URL of the submit service, e.g. `http://127.0.0.1:8101`. */
  readonly efileUrl: string;
  /** Base URL of the status service. */
  readonly statusUrl: string;
  /** Requests per second across both services, 0 < rate <= 1000. Default 20. */
  readonly ratePerSecond?: number;
  /** Share of requests that are status checks, the rest are filings. Default 0.5. */
  readonly statusShare?: number;
  /** Base URL of the Python intake service, which then gets `intakeShare` of the filings. Default: none. */
  readonly intakeUrl?: string;
  /** Share of requests sent to the intake service as filings, when there is one. Default 0.25. */
  readonly intakeShare?: number;
  /** Stop after this many requests. Default: no count limit. */
  readonly maxRequests?: number;
  /** Stop after this long, ms. Default: run until `stop()`. */
  readonly durationMs?: number;
  /** Requests waiting for an answer beyond this are skipped, so a slow service cannot pile them up. Default 500. */
  readonly maxInFlight?: number;
  /** Per-request timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/** What the generator has seen so far. */
export interface TrafficStats {
  sent: number;
  /** 2xx answers. */
  ok: number;
  /** 4xx answers (none expected: the generator sends valid filings and known ids). */
  clientErrors: number;
  /** 5xx answers, the injected faults among them. */
  serverErrors: number;
  /** No answer: refused, reset or timed out. */
  failed: number;
  /** Not sent because `maxInFlight` requests were already waiting. */
  skipped: number;
  inFlight: number;
}

/** A running generator. */
export interface Traffic {
  readonly stats: Readonly<TrafficStats>;
  /** Resolves once the generator stopped (count, duration or `stop()`) and every request settled. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const TICK_MS = 50;
const KNOWN_IDS = 500;

function randomFiling(): FilingRequest {
  const year = new Date().getUTCFullYear() - 1;
  return {
    form: FORMS[Math.floor(Math.random() * FORMS.length)],
    taxYear: year,
    tin: String(Math.floor(Math.random() * 1e9)).padStart(9, '0'),
    agi: Math.floor(Math.random() * 250_000),
  };
}

/**
 * Starts sending requests. A budget of `rate × elapsed` is topped up every 50 ms, so the rate
 * holds even when a tick runs late.
 *
 * @example
 * ```ts
 * const traffic = startTraffic({ efileUrl, statusUrl, ratePerSecond: 20, durationMs: 60_000 });
 * await traffic.done;
 * ```
 */
export function startTraffic(options: TrafficOptions): Traffic {
  const rate = options.ratePerSecond ?? 20;
  if (!(rate > 0 && rate <= 1000))
    throw new RangeError(`ratePerSecond: expected 0 < rate <= 1000, got ${rate}`);
  const statusShare = options.statusShare ?? 0.5;
  const intakeShare = options.intakeShare ?? 0.25;
  const maxInFlight = options.maxInFlight ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const stats: TrafficStats = {
    sent: 0,
    ok: 0,
    clientErrors: 0,
    serverErrors: 0,
    failed: 0,
    skipped: 0,
    inFlight: 0,
  };
  const ids: string[] = [];
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let issued = 0;
  let stopped = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));

  const record = (status: number) => {
    if (status >= 500) stats.serverErrors++;
    else if (status >= 400) stats.clientErrors++;
    else stats.ok++;
  };

  const send = async () => {
    const intake = options.intakeUrl !== undefined && Math.random() < intakeShare;
    const checkStatus = !intake && ids.length > 0 && Math.random() < statusShare;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      if (intake) {
        const res = await fetch(`${options.intakeUrl}/filings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(randomFiling()),
          signal,
        });
        await res.arrayBuffer();
        record(res.status);
      } else if (checkStatus) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        const res = await fetch(`${options.statusUrl}/filings/${id}/status`, { signal });
        await res.arrayBuffer();
        record(res.status);
      } else {
        const res = await fetch(`${options.efileUrl}/filings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(randomFiling()),
          signal,
        });
        const body = (await res.json().catch(() => ({}))) as { id?: unknown };
        record(res.status);
        if (res.status === 202 && typeof body.id === 'string') {
          if (ids.length >= KNOWN_IDS) ids[Math.floor(Math.random() * KNOWN_IDS)] = body.id;
          else ids.push(body.id);
        }
      }
    } catch {
      stats.failed++;
    }
  };

  const launch = () => {
    stats.sent++;
    stats.inFlight++;
    const p = send().finally(() => {
      stats.inFlight--;
      pending.delete(p);
    });
    pending.add(p);
  };

  const tick = () => {
    const elapsed = performance.now() - started;
    if (options.durationMs !== undefined && elapsed >= options.durationMs) return void stop();
    const due = Math.min(Math.floor((elapsed / 1000) * rate), maxRequests);
    while (issued < due) {
      issued++;
      if (stats.inFlight >= maxInFlight) stats.skipped++;
      else launch();
    }
    if (issued >= maxRequests) void stop();
  };

  const timer = setInterval(tick, TICK_MS);
  async function stop(): Promise<void> {
    if (!stopped) {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([...pending]);
      finish();
    }
    return done;
  }
  return { stats, done, stop };
}

/** `tsx demo/traffic.ts --efile URL --status URL [--rate 20] [--duration-s 60] [--max-requests N]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      efile: { type: 'string', default: 'http://127.0.0.1:8101' },
      status: { type: 'string', default: 'http://127.0.0.1:8102' },
      rate: { type: 'string', default: '20' },
      'duration-s': { type: 'string' },
      'max-requests': { type: 'string' },
    },
  });
  const traffic = startTraffic({
    efileUrl: values.efile,
    statusUrl: values.status,
    ratePerSecond: Number(values.rate),
    durationMs: values['duration-s'] ? Number(values['duration-s']) * 1000 : undefined,
    maxRequests: values['max-requests'] ? Number(values['max-requests']) : undefined,
  });
  const report = setInterval(() => console.log(JSON.stringify(traffic.stats)), 10_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void traffic.stop());
  await traffic.done;
  clearInterval(report);
  console.log(JSON.stringify(traffic.stats));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(errorMessage(err));
    process.exit(1);
  });
}
