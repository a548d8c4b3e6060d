/** One bounded HTTP GET of a `/metrics` page: a deadline over the whole exchange, a body cap counted after gunzip. */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip, type Gunzip } from 'node:zlib';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import {
  bodyCut,
  bodyOverLimit,
  checkResponse,
  networkError,
  redirectTarget,
} from './response-checks.js';
import { formatMs, ScrapeError } from './scrape-error.js';

/** What the scraper tells targets it accepts: OpenMetrics first, then the classic text format. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';

/** `User-Agent` of every scrape. Kept in step with package.json by hand: src cannot import it. */
export const SCRAPE_USER_AGENT = 'kpi-lights/0.1.0';

/** Options of {@link fetchExposition}. */
export interface FetchExpositionOptions {
  /** Deadline for connect, headers and the whole body, ms. */
  readonly timeoutMs: number;
  /** Most body bytes accepted after decompression; 0 = no limit. */
  readonly bodySizeLimit: number;
  /** Aborts the fetch from outside (the scraper stopping). */
  readonly signal?: AbortSignal;
  /** Overrides {@link SCRAPE_USER_AGENT}. */
  readonly userAgent?: string;
  /** Timers of the deadline. Default the real ones. */
  readonly timers?: Timers;
}

/** Byte counts of one fetch, filled in as it goes, so a failed fetch still tells how far it got. */
export interface FetchProgress {
  /** Bytes read off the wire (compressed, if the body was). */
  wireBytes: number;
  /** Body bytes after decompression. */
  bodyBytes: number;
}

/** A fetched exposition, not parsed yet. */
export interface FetchedExposition {
  readonly body: string;
  /** The `Content-Type` header, `''` when absent. */
  readonly contentType: string;
  readonly status: number;
}

const MAX_REDIRECTS = 10;

/**
 * Fetches one exposition with the scraper's protections: `timeoutMs` covers connect, headers
 * and body; the body is counted as it streams, after gunzip, so a huge or bomb-like body is cut
 * off at `bodySizeLimit` without being read or inflated further. Any failure rejects with a
 * {@link ScrapeError} whose message reads well on a targets page.
 *
 * We use `node:http` rather than `fetch` because `fetch` inflates gzip itself, out of our count.
 *
 * @example
 * ```ts
 * const { body, contentType } = await fetchExposition('http://127.0.0.1:9100/metrics', {
 *   timeoutMs: 2_000,
 *   bodySizeLimit: 10 * 1024 * 1024,
 * });
 * ```
 */
export function fetchExposition(
  url: string,
  options: FetchExpositionOptions,
  progress: FetchProgress = { wireBytes: 0, bodyBytes: 0 },
): Promise<FetchedExposition> {
  return new Promise((resolve, reject) => {
    new ExpositionExchange(options, progress, resolve, reject).start(url);
  });
}

/** One fetch in flight: its deadline, its current request (a redirect replaces it), its body so far. */
class ExpositionExchange {
  readonly #options: FetchExpositionOptions;
  readonly #progress: FetchProgress;
  readonly #timers: Timers;
  readonly #resolve: (value: FetchedExposition) => void;
  readonly #reject: (err: ScrapeError) => void;
  readonly #chunks: Buffer[] = [];
  #settled = false;
  #timer: TimerHandle;
  #req: ClientRequest | undefined;
  #gunzip: Gunzip | undefined;
  #hops = 0;

  constructor(
    options: FetchExpositionOptions,
    progress: FetchProgress,
    resolve: (value: FetchedExposition) => void,
    reject: (err: ScrapeError) => void,
  ) {
    this.#options = options;
    this.#progress = progress;
    this.#timers = options.timers ?? realTimers;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Arms the deadline, sends the first request and listens for the caller's abort. */
  start(url: string): void {
    const { timeoutMs, signal } = this.#options;
    this.#timer = this.#timers.setTimeout(
      () => this.#settle(new ScrapeError('timeout', `timed out after ${formatMs(timeoutMs)}`)),
      timeoutMs,
    );
    this.#req = this.#open(url);
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The caller's abort: a field, so the same function can be removed again. */
  readonly #onAbort = (): void =>
    this.#settle(new ScrapeError('cancelled', 'scrape cancelled: the scraper is stopping'));

  /** Ends the exchange once; whatever happens after is ignored. */
  #settle(err: ScrapeError | undefined, value?: FetchedExposition): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#timers.clearTimeout(this.#timer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    // Destroying the request closes the socket, so the server stops sending at once.
    if (err) {
      this.#gunzip?.destroy();
      this.#req?.destroy();
      this.#reject(err);
    } else this.#resolve(value!);
  }

  /** Sends one GET; its response is followed if it redirects, else read. */
  #open(target: string): ClientRequest {
    const send = target.startsWith('https:') ? httpsRequest : httpRequest;
    const r = send(
      target,
      {
        method: 'GET',
        // A fresh connection per scrape: no keep-alive race with a server closing an idle socket.
        agent: false,
        headers: {
          Accept: SCRAPE_ACCEPT,
          'Accept-Encoding': 'gzip',
          'User-Agent': this.#options.userAgent ?? SCRAPE_USER_AGENT,
          'X-Prometheus-Scrape-Timeout-Seconds': String(this.#options.timeoutMs / 1000),
        },
      },
      (res) => (this.#redirect(target, res) ? undefined : this.#onResponse(res)),
    );
    r.on('error', (err) => this.#settle(networkError(err)));
    r.end();
    return r;
  }

  /**
   * Follows a redirect, as Prometheus does by default, within the same deadline. False when
   * the response is no redirect.
   */
  #redirect(from: string, res: IncomingMessage): boolean {
    let next = redirectTarget(from, res);
    if (next === undefined) return false;
    if (++this.#hops > MAX_REDIRECTS) {
      next = new ScrapeError('http-status', `more than ${MAX_REDIRECTS} redirects`);
    }
    if (next instanceof ScrapeError) {
      this.#settle(next);
      return true;
    }
    // The old exchange is over; whatever its socket does now is no failure of this scrape.
    const old = this.#req!;
    old.removeAllListeners('error');
    old.on('error', () => {});
    old.destroy();
    this.#req = this.#open(next.href);
    return true;
  }

  /** Reads a response's body once its status and headers allow it. */
  #onResponse(res: IncomingMessage): void {
    const checked = checkResponse(res, this.#options.bodySizeLimit);
    if (checked instanceof ScrapeError) {
      this.#settle(checked);
      return;
    }
    res.on('error', (err) => this.#settle(bodyCut(err)));
    // 'close' without a complete message: the peer hung up mid-body.
    res.on('close', () => {
      if (!res.complete) this.#settle(bodyCut(undefined));
    });
    if (checked.gzipped) this.#readGzipped(res);
    else this.#readPlain(res);
  }

  /** Inflates a gzip body as it arrives, counting it after inflation. */
  #readGzipped(res: IncomingMessage): void {
    const inflate = createGunzip();
    this.#gunzip = inflate;
    inflate.on('data', (chunk: Buffer) => this.#take(chunk));
    inflate.on('end', () => this.#finish(res));
    inflate.on('error', (err) =>
      this.#settle(
        new ScrapeError('encoding', `gzip body is corrupt: ${err.message}`, { cause: err }),
      ),
    );
    res.on('data', (chunk: Buffer) => {
      if (this.#settled) return;
      this.#progress.wireBytes += chunk.length;
      // Inflation is lazy: stop reading the wire while zlib still has work queued.
      if (!inflate.write(chunk)) {
        res.pause();
        inflate.once('drain', () => res.resume());
      }
    });
    res.on('end', () => {
      if (!this.#settled) inflate.end();
    });
  }

  /** Reads a body sent as it is. */
  #readPlain(res: IncomingMessage): void {
    res.on('data', (chunk: Buffer) => {
      this.#progress.wireBytes += chunk.length;
      this.#take(chunk);
    });
    res.on('end', () => this.#finish(res));
  }

  /** Keeps a chunk of the (inflated) body, or ends the exchange once the body passes the limit. */
  #take(chunk: Buffer): void {
    if (this.#settled) return;
    const limit = this.#options.bodySizeLimit;
    this.#progress.bodyBytes += chunk.length;
    if (limit > 0 && this.#progress.bodyBytes > limit) this.#settle(bodyOverLimit(limit));
    else this.#chunks.push(chunk);
  }

  /** Resolves with the whole body and the response's type and status. */
  #finish(res: IncomingMessage): void {
    if (this.#settled) return;
    const body = Buffer.concat(this.#chunks, this.#progress.bodyBytes).toString('utf8');
    this.#settle(undefined, {
      body,
      contentType: String(res.headers['content-type'] ?? ''),
      status: res.statusCode ?? 0,
    });
  }
}
