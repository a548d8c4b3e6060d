/** Merges options over defaults so that an option given as `undefined` keeps its default. */

/**
 * `{ ...defaults, ...options }` lets `{ retentionMs: undefined }` wipe a default out, which is
 * what a caller forwarding its own optional setting passes. This skips undefined options.
 *
 * @example
 * ```ts
 * withDefaults({ retentionMs: 7_200_000 }, { retentionMs: undefined }); // { retentionMs: 7200000 }
 * ```
 */
export function withDefaults<D extends object, O extends object>(
  defaults: D,
  options: O | undefined,
): D & O {
  const out = { ...defaults } as Record<string, unknown>;
  if (options !== undefined) {
    for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  }
  return out as D & O;
}
