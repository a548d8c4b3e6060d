/** The one way to turn anything thrown into the text a user reads, with secrets in URLs hidden. */
import { redactUrlSecrets } from './url-secrets.js';

/**
 * The message of a thrown value: an `Error`'s `message`, anything else as a string. JavaScript
 * lets code throw strings and plain objects, so every catch that reports must go through here.
 * A URL in it loses its password and token-like parameters (`fetch` and sockets quote the URL
 * they failed on, and these messages reach readings, the targets page and logs).
 *
 * @example
 * ```ts
 * try { JSON.parse('{'); } catch (err) { console.error(errorMessage(err)); }
 * ```
 */
export function errorMessage(err: unknown): string {
  return redactUrlSecrets(err instanceof Error ? err.message : String(err));
}
