/** SSE event ids that carry the process's epoch, so a resume across a restart is never mistaken for one within it. */
import { randomBytes } from 'node:crypto';

/**
 * A new epoch: 12 random hex digits, different in every process (and every hub). Hex, so the
 * `-` between epoch and number is never part of either.
 *
 * @example
 * ```ts
 * newEpoch(); // '3f9a0c1b2d4e'
 * ```
 */
export function newEpoch(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The id of event `n` of `epoch`, as sent on the `id:` line.
 *
 * @example
 * ```ts
 * eventId('3f9a0c1b2d4e', 7); // '3f9a0c1b2d4e-7'
 * ```
 */
export function eventId(epoch: string, n: number): string {
  return `${epoch}-${n}`;
}

/**
 * The event number a `Last-Event-ID` names when it comes from `epoch`; undefined for an id of
 * another epoch (an earlier process, before a restart), an old bare number, or anything else.
 *
 * @example
 * ```ts
 * eventNumber('3f9a0c1b2d4e-7', '3f9a0c1b2d4e'); // 7
 * eventNumber('0a0a0a0a0a0a-7', '3f9a0c1b2d4e'); // undefined
 * ```
 */
export function eventNumber(lastEventId: string | undefined, epoch: string): number | undefined {
  const prefix = `${epoch}-`;
  if (lastEventId === undefined || !lastEventId.startsWith(prefix)) return undefined;
  const rest = lastEventId.slice(prefix.length);
  return /^\d{1,15}$/.test(rest) ? Number(rest) : undefined;
}
