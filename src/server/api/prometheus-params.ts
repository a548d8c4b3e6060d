/** Parses time and duration parameters the way Prometheus's HTTP API accepts them. */

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
// RFC 3339 with an optional fraction and a Z or numeric offset, as Go's time.RFC3339Nano reads it.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A parameter that could not be read; the message is Prometheus's wording. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
}

/**
 * Reads a timestamp: unix seconds as a float (kept to the ms) or RFC 3339. Returns epoch ms.
 * @example parsePrometheusTime('1700000000.5') // 1700000000500
 */
export function parsePrometheusTime(text: string): number {
  const s = text.trim();
  if (FLOAT.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    if (Number.isFinite(ms)) return ms;
  }
  if (RFC3339.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ParamError(`cannot parse "${text}" to a valid timestamp`);
}

/**
 * Reads a duration: float seconds (`15`, `0.5`) or a Prometheus duration (`1m30s`). Returns ms.
 * @example parsePrometheusDuration('1m30s') // 90000
 */
export function parsePrometheusDuration(text: string): number {
  const s = text.trim();
  if (FLOAT.test(s)) {
    const ms = Number(s) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 9.2e15) {
      throw new ParamError(`cannot parse "${text}" to a valid duration. It overflows int64`);
    }
    return Math.round(ms);
  }
  const m = s === '' ? null : DURATION.exec(s);
  if (!m) throw new ParamError(`cannot parse "${text}" to a valid duration`);
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i];
  }
  return ms;
}
