/** How a scrape's HTTP exchange reads as a ScrapeError: refused responses, redirects, broken connections. */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { errorMessage } from '../../shared/error-message.js';
import { formatBytes, ScrapeError } from './scrape-error.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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

/**
 * A request's failure in words a targets page can show.
 *
 * @example
 * ```ts
 * req.on('error', (err) => reject(networkError(err))); // "connection refused"
 * ```
 */
export function networkError(err: unknown): ScrapeError {
  const code = (err as { code?: unknown })?.code;
  const words = typeof code === 'string' ? NETWORK_WORDS[code] : undefined;
  const message = words ?? errorMessage(err);
  return new ScrapeError('network', message, { cause: err });
}

/** The peer hung up, or the response stream failed, before the body ended. */
export function bodyCut(err: unknown): ScrapeError {
  return new ScrapeError('network', 'connection closed before the body ended', { cause: err });
}

/** The body grew past `limit` bytes (after decompression). */
export function bodyOverLimit(limit: number): ScrapeError {
  return new ScrapeError('body-limit', `body exceeds the ${formatBytes(limit)} limit`);
}

/**
 * Whether a response's body may be read, judged from its status and headers alone: a refusal,
 * or how the body is encoded. A plain body that declares more than `limit` bytes is refused
 * unread; a gzipped one is counted as it inflates.
 *
 * @example
 * ```ts
 * const checked = checkResponse(res, 10 * 1024 * 1024);
 * if (checked instanceof ScrapeError) return fail(checked);
 * if (checked.gzipped) res.pipe(createGunzip());
 * ```
 */
export function checkResponse(
  res: IncomingMessage,
  limit: number,
): ScrapeError | { readonly gzipped: boolean } {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) {
    const text = res.statusMessage || STATUS_CODES[status] || '';
    return new ScrapeError('http-status', `server returned HTTP status ${status} ${text}`.trim());
  }
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
  if (!gzipped && encoding !== 'identity' && encoding !== '') {
    return new ScrapeError('encoding', `unsupported Content-Encoding "${encoding}"`);
  }
  const declared = Number(res.headers['content-length']);
  if (!gzipped && limit > 0 && declared > limit) return bodyOverLimit(limit);
  return { gzipped };
}

/**
 * Where a redirect response leads: undefined when it is no redirect, else the next URL, or
 * why it cannot be followed (a scrape reads only http and https).
 *
 * @example
 * ```ts
 * redirectTarget('http://a/metrics', res); // URL { href: 'http://a/metrics/' } for a 301 to "/metrics/"
 * ```
 */
export function redirectTarget(from: string, res: IncomingMessage): URL | ScrapeError | undefined {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (!REDIRECTS.has(status) || !location) return undefined;
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return new ScrapeError('http-status', `redirect to an invalid URL: ${location}`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return new ScrapeError('http-status', `redirect to an unsupported URL: ${next.protocol}`);
  }
  return next;
}
