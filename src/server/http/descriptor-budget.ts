/** How many connections clients may hold, so the process always keeps file descriptors for scrapes, the source and the database. */
import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open files (`ulimit -n`), from `/proc/self/limits`; `undefined`
 * where that is not readable (not Linux) or unlimited.
 *
 * @example
 * ```ts
 * openFileLimit(); // 1024
 * ```
 */
export function openFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  try {
    const line = read()
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    const n = Number(soft);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Descriptors kept for everything but client connections: a quarter of the limit, at least 64. */
export function reservedDescriptors(limit: number): number {
  return Math.max(64, Math.floor(limit / 4));
}

/** The connection cap that fits, and why it was lowered when it was. */
export interface ConnectionBudget {
  /** The cap to use: `requested`, or lower. */
  readonly maxConnections: number;
  /** Set when the cap was lowered: says from what, to what, and why. */
  readonly lowered?: string;
}

/**
 * Fits the client connection cap under the open-file limit. Client sockets (the cap, plus the
 * refusal slots that answer connections past it) may use what is left after
 * {@link reservedDescriptors}, so a flood of clients can never take the descriptor a scrape,
 * a query to the source or the database needs (EMFILE). A requested 0 (no cap) becomes that
 * room too: with a known limit there is always a cap.
 *
 * @example
 * ```ts
 * fitToDescriptors(1024, 64, 1024);
 * // { maxConnections: 704, lowered: 'lowered --http.max-connections from 1024 to 704: …' }
 * ```
 */
export function fitToDescriptors(
  requested: number,
  refusalSlots: number,
  limit: number | undefined,
): ConnectionBudget {
  if (limit === undefined) return { maxConnections: requested };
  const reserved = reservedDescriptors(limit);
  const room = Math.max(1, limit - reserved - refusalSlots);
  if (requested > 0 && requested <= room) return { maxConnections: requested };
  return {
    maxConnections: room,
    lowered:
      `lowered --http.max-connections from ${requested === 0 ? 'no limit' : requested} to ${room}: ` +
      `the process may open ${limit} files (ulimit -n), and keeps ${reserved} for scrapes, ` +
      `the source and the database and ${refusalSlots} for refusing connections past the cap`,
  };
}
