/** One server's live KPI readings and alerts: one client, one `watch()` stream, shared by every element. */
import type { AlertInfo, KpiReading } from '../../sdk/types.js';
import type { PageClient } from './page-client.js';

/** Called after the readings or the connection changed; read the feed for the new state. */
export type FeedListener = () => void;

/** Subscribe to every KPI rather than one id (a board wants the whole list). */
export const EVERY_KPI = '*';

/** Subscribe to the alerts (no KPI id starts with `!`). */
export const ALERTS = '!alerts';

/**
 * Keeps the latest reading of every KPI of one server. The stream opens with the first
 * subscriber and closes a moment after the last one leaves, so elements moved around the page
 * do not reconnect.
 *
 * @example
 * ```ts
 * const feed = new KpiFeed(client, () => Date.now());
 * const stop = feed.subscribe('efile-error-rate', () => render(feed.reading('efile-error-rate')));
 * stop(); // on disconnect
 * ```
 */
export class KpiFeed {
  /** The client, for the requests an element makes itself (a chart's history). */
  readonly client: PageClient;
  readonly #now: () => number;
  readonly #readings = new Map<string, KpiReading>();
  /** Pending and firing alerts by id; a resolved one leaves. */
  readonly #alerts = new Map<string, AlertInfo>();
  readonly #listeners = new Map<string, Set<FeedListener>>();
  #abort: AbortController | undefined;
  #loaded = false;
  #disconnectedSince: number | null = null;
  #lastError: Error | undefined;

  constructor(client: PageClient, now: () => number) {
    this.client = client;
    this.#now = now;
  }

  /** True once the first snapshot came. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** When the stream broke (ms since the epoch), `null` while it is up. */
  get disconnectedSince(): number | null {
    return this.#disconnectedSince;
  }

  /** Why the stream broke last, if it did. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** The latest reading of one KPI, `undefined` before it came or for an unknown id. */
  reading(id: string): KpiReading | undefined {
    return this.#readings.get(id);
  }

  /** Every KPI's latest reading, in the order the server listed them. */
  readings(): KpiReading[] {
    return [...this.#readings.values()];
  }

  /** The pending and firing alerts, as the server last told them. */
  alerts(): AlertInfo[] {
    return [...this.#alerts.values()];
  }

  /**
   * Listens to one KPI id, `EVERY_KPI` or `ALERTS`; connection changes reach every listener. Returns
   * the function that unsubscribes.
   */
  subscribe(id: string, listener: FeedListener): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    this.#open();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(id);
      // Wait a task: an element moved in the DOM disconnects and reconnects in one go.
      setTimeout(() => {
        if (this.#listeners.size === 0) this.#close();
      }, 0);
    };
  }

  #open(): void {
    if (this.#abort !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    void this.#follow(abort.signal);
  }

  #close(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }

  async #follow(signal: AbortSignal): Promise<void> {
    try {
      for await (const event of this.client.watch({ signal })) {
        if (signal.aborted) return;
        switch (event.type) {
          case 'snapshot':
            this.#readings.clear();
            for (const reading of event.data.kpis) this.#readings.set(reading.id, reading);
            this.#alerts.clear();
            for (const alert of event.data.alerts) this.#alerts.set(alert.id, alert);
            this.#loaded = true;
            this.#notify(undefined);
            break;
          case 'kpi':
            this.#readings.set(event.data.id, event.data);
            this.#notify(event.data.id);
            break;
          case 'disconnected':
            this.#disconnectedSince = event.since;
            this.#lastError = event.error;
            this.#notify(undefined);
            break;
          case 'connected':
            this.#disconnectedSince = null;
            this.#notify(undefined);
            break;
          case 'alert':
            if (event.data.state === 'resolved') this.#alerts.delete(event.data.id);
            else this.#alerts.set(event.data.id, event.data);
            this.#notify(ALERTS);
            break;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      // The client retries by itself; an iterator that throws has given up, so show stale.
      this.#lastError = error instanceof Error ? error : new Error(String(error));
      this.#disconnectedSince ??= this.#now();
      this.#notify(undefined);
    }
    if (this.#abort?.signal === signal) this.#abort = undefined;
  }

  /** Tells the listeners of `id` and of every KPI; `undefined` tells everyone. */
  #notify(id: string | undefined): void {
    const targets =
      id === undefined
        ? [...this.#listeners.values()]
        : [this.#listeners.get(id), this.#listeners.get(EVERY_KPI)];
    for (const set of targets) for (const listener of set ?? []) listener();
  }
}
