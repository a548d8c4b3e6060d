/** Logs without secrets: a report function whose messages and errors lose what URLs carry (passwords, tokens). */
import { redactUrlSecrets } from '../../shared/url-secrets.js';

/** Where the server tells an operator something: a message, and the error behind it. */
export type Report = (message: string, err?: unknown) => void;

/** Causes followed when copying an error: enough for any real chain, finite for a cycle. */
const MAX_CAUSES = 8;

function redactedError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return redactUrlSecrets(err);
  if (!(err instanceof Error)) return err;
  // A copy: the original may still be thrown or inspected elsewhere.
  const cause =
    err.cause === undefined || depth >= MAX_CAUSES
      ? undefined
      : redactedError(err.cause, depth + 1);
  const copy = new Error(redactUrlSecrets(err.message), cause === undefined ? {} : { cause });
  copy.name = err.name;
  copy.stack = err.stack === undefined ? undefined : redactUrlSecrets(err.stack);
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/**
 * Wraps a report so that neither its message nor its error (message, stack, causes) quotes a
 * URL's password or token-like parameters: `fetch` and sockets quote the URL they failed on,
 * and logs are read by more people than the policy's secrets are meant for.
 *
 * @example
 * ```ts
 * const report = redactedReport((message, err) => console.error(message, err ?? ''));
 * report('scrape failed', new Error('GET http://u:pw@h/metrics: ECONNREFUSED')); // pw hidden
 * ```
 */
export function redactedReport(report: Report): Report {
  return (message, err) =>
    err === undefined
      ? report(redactUrlSecrets(message))
      : report(redactUrlSecrets(message), redactedError(err));
}
