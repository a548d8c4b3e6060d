/** The base of every error the SDK throws, so one `instanceof` catches them all. */

/**
 * Something went wrong talking to a KPI server. The subclasses say what: `HttpError`,
 * `NetworkError`, `TimeoutError`. A caller's own abort is not one of them: it rejects with the
 * signal's reason.
 *
 * @example
 * ```ts
 * try {
 *   await client.kpis();
 * } catch (err) {
 *   if (err instanceof KpiLightsError) console.warn('KPI server:', err.message);
 * }
 * ```
 */
export class KpiLightsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Spelled out, not taken from the class, so minified bundles keep readable names.
    this.name = 'KpiLightsError';
  }
}
