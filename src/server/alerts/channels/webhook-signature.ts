/** The webhook signature: HMAC-SHA256 over a timestamp and the body, so a captured request cannot be replayed later. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The header carrying the signature: `t=<unix seconds>,sha256=<hex>`, the HMAC-SHA256 under the
 * receiver's secret of `<t>.<raw body>`.
 */
export const SIGNATURE_HEADER = 'X-Kpi-Lights-Signature-256';

/** How far a signature's time may be from the receiver's clock by default: 5 minutes. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

function hmacHex(secret: string, seconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
}

/**
 * The signature header's value for a body sent at `nowMs`.
 *
 * @example
 * ```ts
 * signBody('secret', body, Date.now()); // 't=1733550000,sha256=5d41…'
 * ```
 */
export function signBody(secret: string, body: string, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  return `t=${seconds},sha256=${hmacHex(secret, seconds, body)}`;
}

/**
 * Checks a request the way a receiver should: the signature matches the raw body and its time,
 * compared in constant time, and that time is within `toleranceMs` of the receiver's clock.
 * Together with the `Idempotency-Key` remembered for the same window, a captured request
 * cannot be played again. Answers why it fails, or `undefined` when it holds.
 *
 * @example
 * ```ts
 * const why = verifySignature(secret, req.headers['x-kpi-lights-signature-256'], rawBody, Date.now());
 * if (why) return res.status(401).end(why);
 * ```
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowMs: number,
  toleranceMs: number = SIGNATURE_TOLERANCE_MS,
): string | undefined {
  const m = /^t=(\d{1,12}),sha256=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return 'no signature, or not t=<seconds>,sha256=<hex>';
  const seconds = Number(m[1]);
  if (Math.abs(nowMs - seconds * 1000) > toleranceMs) return 'signed too long ago (or ahead)';
  const expected = Buffer.from(hmacHex(secret, seconds, body), 'hex');
  const given = Buffer.from(m[2], 'hex');
  return timingSafeEqual(expected, given) ? undefined : 'signature does not match';
}
