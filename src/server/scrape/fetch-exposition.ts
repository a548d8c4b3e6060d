/** One bounded HTTP GET of a `/metrics` page: a deadline over the whole exchange, a body cap counted after gunzip. */
import {
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  STATUS_CODES,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip, type Gunzip } from 'node:zlib';
import { errorMessage } from '../../shared/error-message.js';
import { realTimers, type Timers } from '../schedule/index.js';
import { formatBytes, formatMs, ScrapeError } from './scrape-error.js';

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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed before the response arrived',
  EPIPE: 'connection closed before the response arrived',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (try again later)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  HPE_INVALID_CONSTANT: 'the response is not valid HTTP',
  HPE_INVALID_HEADER_TOKEN: 'the response has an invalid header',
  HPE_HEADER_OVERFLOW: 'the response headers are too large',
};

function networkError(err: unknown): ScrapeError {
  const code = (err as { code?: unknown })?.code;
  const words = typeof code === 'string' ? NETWORK_WORDS[code] : undefined;
  const message = words ?? errorMessage(err);
  return new ScrapeError('network', message, { cause: err });
}

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
  const { timeoutMs, bodySizeLimit: limit, signal } = options;
  const timers = options.timers ?? realTimers;
  return new Promise((resolve, reject) => {
    let settled = false;
    let gunzip: Gunzip | undefined;
    const chunks: Buffer[] = [];

    const settle = (err: ScrapeError | undefined, value?: FetchedExposition): void => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Destroying the request closes the socket, so the server stops sending at once.
      if (err) {
        gunzip?.destroy();
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const onAbort = (): void =>
      settle(new ScrapeError('cancelled', 'scrape cancelled: the scraper is stopping'));
    const timer = timers.setTimeout(
      () => settle(new ScrapeError('timeout', `timed out after ${formatMs(timeoutMs)}`)),
      timeoutMs,
    );

    const overLimit = (): ScrapeError =>
      new ScrapeError('body-limit', `body exceeds the ${formatBytes(limit)} limit`);
    const take = (chunk: Buffer): void => {
      if (settled) return;
      progress.bodyBytes += chunk.length;
      if (limit > 0 && progress.bodyBytes > limit) settle(overLimit());
      else chunks.push(chunk);
    };
    const finish = (res: IncomingMessage): void => {
      if (settled) return;
      const body = Buffer.concat(chunks, progress.bodyBytes).toString('utf8');
      settle(undefined, {
        body,
        contentType: String(res.headers['content-type'] ?? ''),
        status: res.statusCode ?? 0,
      });
    };

    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        const text = res.statusMessage || STATUS_CODES[status] || '';
        settle(
          new ScrapeError('http-status', `server returned HTTP status ${status} ${text}`.trim()),
        );
        return;
      }
      const encoding = String(res.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
      if (!gzipped && encoding !== 'identity' && encoding !== '') {
        settle(new ScrapeError('encoding', `unsupported Content-Encoding "${encoding}"`));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (!gzipped && limit > 0 && declared > limit) {
        settle(overLimit());
        return;
      }
      res.on('error', (err) => settle(bodyCut(err)));
      // 'close' without a complete message: the peer hung up mid-body.
      res.on('close', () => {
        if (!res.complete) settle(bodyCut(undefined));
      });
      if (gzipped) {
        const inflate = createGunzip();
        gunzip = inflate;
        inflate.on('data', take);
        inflate.on('end', () => finish(res));
        inflate.on('error', (err) =>
          settle(
            new ScrapeError('encoding', `gzip body is corrupt: ${err.message}`, { cause: err }),
          ),
        );
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          progress.wireBytes += chunk.length;
          // Inflation is lazy: stop reading the wire while zlib still has work queued.
          if (!inflate.write(chunk)) {
            res.pause();
            inflate.once('drain', () => res.resume());
          }
        });
        res.on('end', () => {
          if (!settled) inflate.end();
        });
      } else {
        res.on('data', (chunk: Buffer) => {
          progress.wireBytes += chunk.length;
          take(chunk);
        });
        res.on('end', () => finish(res));
      }
    };

    const open = (target: string): ClientRequest => {
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
            'User-Agent': options.userAgent ?? SCRAPE_USER_AGENT,
            'X-Prometheus-Scrape-Timeout-Seconds': String(timeoutMs / 1000),
          },
        },
        (res) => (redirect(target, res) ? undefined : onResponse(res)),
      );
      r.on('error', (err) => settle(networkError(err)));
      r.end();
      return r;
    };
    // Redirects are followed as Prometheus does by default, within the same deadline.
    let hops = 0;
    const redirect = (from: string, res: IncomingMessage): boolean => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (!REDIRECTS.has(status) || !location) return false;
      if (++hops > MAX_REDIRECTS) {
        settle(new ScrapeError('http-status', `more than ${MAX_REDIRECTS} redirects`));
        return true;
      }
      let next: URL;
      try {
        next = new URL(location, from);
      } catch {
        settle(new ScrapeError('http-status', `redirect to an invalid URL: ${location}`));
        return true;
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        settle(new ScrapeError('http-status', `redirect to an unsupported URL: ${next.protocol}`));
        return true;
      }
      // The old exchange is over; whatever its socket does now is no failure of this scrape.
      req.removeAllListeners('error');
      req.on('error', () => {});
      req.destroy();
      req = open(next.href);
      return true;
    };
    let req = open(url);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function bodyCut(err: unknown): ScrapeError {
  return new ScrapeError('network', 'connection closed before the body ended', { cause: err });
}
