/** A Lit controller that keeps an element subscribed to one KPI (or all) on the page's feed. */
import type { ReactiveController, ReactiveControllerHost } from '../element/kpi-element.js';
import type { KpiFeed } from './kpi-feed.js';
import { feedFor, retryAfterConfigure } from './page-connection.js';

/** Which server and KPI the element follows, read from its properties at each update. */
export interface FeedTarget {
  readonly server: string | undefined;
  /** A KPI id, `EVERY_KPI`, or `''` for none yet. */
  readonly kpi: string;
}

/**
 * Subscribes while the element is connected, resubscribes when its `server` or `kpi` changes,
 * and unsubscribes on disconnect, so a removed element leaves the shared stream alone.
 *
 * @example
 * ```ts
 * readonly #subscription = new FeedSubscription(this, () => ({ server: this.server, kpi: this.kpi }));
 * ```
 */
export class FeedSubscription implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #target: () => FeedTarget;
  #stop: (() => void) | undefined;
  #cancelRetry: (() => void) | undefined;
  #key: string | undefined;
  /** The feed followed now; `undefined` before the element connects or without a KPI. */
  feed: KpiFeed | undefined;
  /** Why no feed could be made (no client factory, a bad server URL). */
  error: Error | undefined;

  constructor(host: ReactiveControllerHost, target: () => FeedTarget) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#stop?.();
    this.#stop = undefined;
    this.#key = undefined;
  }

  #sync(): void {
    const { server, kpi } = this.#target();
    const key = `${server ?? ''}\n${kpi}`;
    if (key === this.#key) return;
    this.hostDisconnected();
    this.#key = key;
    this.feed = undefined;
    this.error = undefined;
    if (kpi === '') return;
    try {
      this.feed = feedFor(server);
      this.#stop = this.feed.subscribe(kpi, () => this.#host.requestUpdate());
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      this.#cancelRetry = retryAfterConfigure(() => {
        this.#cancelRetry = undefined;
        this.#key = undefined;
        this.#host.requestUpdate();
      });
    }
  }
}
