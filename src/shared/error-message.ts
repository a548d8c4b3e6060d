/** The one way to turn anything thrown into the text a user reads. */

/**
 * The message of a thrown value: an `Error`'s `message`, anything else as a string. JavaScript
 * lets code throw strings and plain objects, so every catch that reports must go through here.
 *
 * @example
 * ```ts
 * try { JSON.parse('{'); } catch (err) { console.error(errorMessage(err)); }
 * ```
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
