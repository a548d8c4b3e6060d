/** A target that counts its scrapes and a check that monitoring goes on: scrapes on schedule, KPIs read. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for.js';

/** A scrape target on 127.0.0.1 that counts how often it was scraped. */
export interface CountingTarget {
  /** `http://127.0.0.1:port/metrics`. */
  readonly url: string;
  /** Scrapes answered so far. */
  hits(): number;
  close(): Promise<void>;
}

/**
 * Serves `body` on `/metrics` and counts each scrape.
 *
 * @example
 * ```ts
 * const target = await countingTarget('# TYPE queue_depth gauge\nqueue_depth 3\n');
 * ```
 */
export async function countingTarget(body: string): Promise<CountingTarget> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What {@link monitoringGoesOn} saw. */
export interface MonitoringSeen {
  /** Scrapes the target answered while it watched. */
  readonly scrapes: number;
  /** How long it watched, ms. */
  readonly watchedMs: number;
  /** The KPIs' statuses as `/api/v1/kpis` answered last. */
  readonly statuses: readonly string[];
}

/** Options of {@link monitoringGoesOn}. */
export interface MonitoringCheck {
  /** The KPI server, `http://host:port`. */
  readonly server: string;
  readonly target: Pick<CountingTarget, 'hits'>;
  /** Scrapes to wait for; with a 1 s interval, 3 take about 3 s. Default 3. */
  readonly scrapes?: number;
  /** A read token, for `auth.read: token`. */
  readonly token?: string;
  /** How `/api/v1/kpis` is fetched, e.g. from another local address. Default `fetch`. */
  readonly get?: (url: string, headers: Record<string, string>) => Promise<Response>;
  /** Gives up after this long, ms. Default 15 000. */
  readonly timeoutMs?: number;
}

/**
 * Waits for `scrapes` more scrapes of the target, then reads `/api/v1/kpis` until no KPI is
 * `unknown`: monitoring went on. Rejects when either does not happen in time.
 *
 * @example
 * ```ts
 * const seen = await monitoringGoesOn({ server: handle.url, target });
 * expect(seen.statuses).not.toContain('unknown');
 * ```
 */
export async function monitoringGoesOn(check: MonitoringCheck): Promise<MonitoringSeen> {
  const { server, target, scrapes = 3, timeoutMs = 15_000 } = check;
  const get = check.get ?? ((url, headers) => fetch(url, { headers }));
  const headers: Record<string, string> = check.token
    ? { authorization: `Bearer ${check.token}` }
    : {};
  const started = Date.now();
  const from = target.hits();
  await waitFor(() => target.hits() >= from + scrapes, { timeoutMs, everyMs: 50 });
  let statuses: string[] = [];
  await waitFor(
    async () => {
      const res = await get(`${server}/api/v1/kpis`, headers);
      if (res.status !== 200) return false;
      const readings = (await res.json()) as { status: string }[];
      statuses = readings.map((k) => k.status);
      return statuses.length > 0 && !statuses.includes('unknown');
    },
    { timeoutMs, everyMs: 100 },
  );
  return { scrapes: target.hits() - from, watchedMs: Date.now() - started, statuses };
}
