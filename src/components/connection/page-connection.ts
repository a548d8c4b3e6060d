/** The page's one connection per KPI server: where the server is, the read token, the client. */
import type { ClientOptions } from '../../sdk/client-types.js';
import { KpiFeed } from './kpi-feed.js';
import { type PageClient, pageClient } from './page-client.js';

/**
 * Makes the page's client for one server; tests hand in a scripted one. The SDK's
 * `createClient` is one; the components use its `watch`, `history` and `budgetHistory`.
 */
export type ClientFactory = (options: ClientOptions) => PageClient;

/** What a page or a test may set before (or after) the elements appear. */
export interface ConnectionOptions {
  /** Makes the client of each server. Default: the SDK's client, its requests loaded when first used. */
  readonly createClient?: ClientFactory;
  /** The read token, for servers with `auth.read: token`. Default: the page's config. */
  readonly token?: string;
  /** The components' clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** The page-level config a host page's own script may set before loading the bundle. */
declare global {
  interface Window {
    kpiLights?: { readonly token?: string };
  }
}

let settings: ConnectionOptions = {};
const feeds = new Map<string, KpiFeed>();
/** Elements that could not connect yet; they try again after the next `configure`. */
const waiting = new Set<() => void>();

/**
 * Sets how the page's elements connect. Feeds already open keep their client; call it before
 * the elements connect (tests call `resetConnections()` between cases).
 *
 * @example
 * ```ts
 * import { configure } from 'kpi-lights/components';
 * configure({ token: readTokenFromMyLogin() });
 * ```
 */
export function configure(options: ConnectionOptions): void {
  settings = { ...settings, ...options };
  const retries = [...waiting];
  waiting.clear();
  for (const retry of retries) retry();
}

/**
 * Runs `retry` after the next `configure`: a page's script may configure after the bundle has
 * already upgraded the elements. Returns the function that cancels it.
 */
export function retryAfterConfigure(retry: () => void): () => void {
  waiting.add(retry);
  return () => waiting.delete(retry);
}

/** The components' clock, as configured. */
export function pageNow(): number {
  return (settings.now ?? Date.now)();
}

/**
 * The read token: `configure({ token })`, else `window.kpiLights.token`, else
 * `<meta name="kpi-lights-token" content="…">`. The meta tag is the way that works under a
 * strict CSP (`script-src <server>` forbids the inline script that would set a global).
 */
export function readToken(): string | undefined {
  if (settings.token !== undefined) return settings.token;
  const fromGlobal = window.kpiLights?.token;
  if (fromGlobal !== undefined) return fromGlobal;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="kpi-lights-token"]');
  return meta?.content || undefined;
}

/** The server the bundle came from: the default when an element names none. */
export const scriptOrigin: string = new URL(import.meta.url).origin;

/**
 * The shared feed of one server (the element's `server` attribute, or the bundle's origin).
 *
 * @example
 * ```ts
 * const feed = feedFor(this.server);
 * this.#stop = feed.subscribe(this.kpi, () => this.requestUpdate());
 * ```
 */
export function feedFor(server: string | undefined): KpiFeed {
  const origin = new URL(server || scriptOrigin, document.baseURI).href;
  let feed = feeds.get(origin);
  if (feed === undefined) {
    const token = readToken();
    const client = (settings.createClient ?? pageClient)({
      baseUrl: origin,
      ...(token !== undefined && { token }),
    });
    feed = new KpiFeed(client, pageNow);
    feeds.set(origin, feed);
  }
  return feed;
}

/** Forgets every feed and setting, so each test starts from a fresh page. */
export function resetConnections(): void {
  feeds.clear();
  waiting.clear();
  settings = {};
}
