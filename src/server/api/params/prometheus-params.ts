/** Parses time and duration parameters the way Prometheus's HTTP API accepts them. */
import { readDurationOrNumber } from '../../../shared/duration.js';
import { PLAIN_NUMBER } from '../../../shared/plain-number.js';
import { parseRfc3339 } from '../../time/rfc3339.js';

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
  if (PLAIN_NUMBER.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    if (Number.isFinite(ms)) return ms;
  }
  const ms = parseRfc3339(s);
  if (ms !== undefined) return ms;
  throw new ParamError(`cannot parse "${text}" to a valid timestamp`);
}

/**
 * Reads a duration: float seconds (`15`, `0.5`) or a Prometheus duration (`1m30s`). Returns ms.
 * @example parsePrometheusDuration('1m30s') // 90000
 */
export function parsePrometheusDuration(text: string): number {
  const reading = readDurationOrNumber(text, 1_000);
  if (reading.fault === 'range' && PLAIN_NUMBER.test(text.trim())) {
    throw new ParamError(`cannot parse "${text}" to a valid duration. It overflows int64`);
  }
  if (reading.fault !== undefined) {
    throw new ParamError(`cannot parse "${text}" to a valid duration`);
  }
  return reading.ms;
}
