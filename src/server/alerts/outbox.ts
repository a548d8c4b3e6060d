/** The durable outbox: notices in SQLite until a channel takes them, retried per notice with backoff, rate-limited into digests. */
import { backoffDelay } from '../../sdk/backoff.js';
import { errorMessage } from '../../shared/error-message.js';
import type { ServerDatabase } from '../database/index.js';
import type { Receiver } from '../policy/types.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import { migrateAlertTables } from './alert-tables.js';
import { isPermanentFailure } from './delivery-error.js';
import type { Notification } from './notification.js';
import {
  type GiveUpReason,
  OUTBOX_BOUNDS,
  type OutboxBounds,
  OutboxTable,
  type PendingRow,
} from './outbox-table.js';

export type { GiveUpReason, OutboxBounds } from './outbox-table.js';

/** The ways a receiver is reached. */
export const CHANNELS = ['email', 'webhook', 'alertmanager'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Delivers notices (one, or several as a digest) on one channel; throws when it could not. */
export type ChannelSend = (
  receiver: Receiver,
  notices: readonly Notification[],
  signal: AbortSignal,
) => Promise<void>;

/** Options of {@link Outbox}. */
export interface OutboxOptions extends OutboxBounds {
  readonly receiver: (name: string) => Receiver | undefined;
  readonly send: Readonly<Record<Channel, ChannelSend>>;
  /** Default the real ones. */
  readonly timers?: Timers;
  /** Where failures are told. Default `console.error`. */
  readonly report?: (message: string, err?: unknown) => void;
  /** First retry delay; doubles each try. Default 1 s. */
  readonly firstRetryMs?: number;
  /** Longest retry delay. Default 60 s, so a receiver back from an outage hears within a minute. */
  readonly maxRetryMs?: number;
  /** A notice still undelivered this long after it was made is given up, and said so. Default 24 h. */
  readonly giveUpAfterMs?: number;
  /** Tries a receiver may refuse outright (a 4xx, an SMTP 5xx) before the notice is given up. Default 3. */
  readonly refusalsBeforeGiveUp?: number;
  /** One delivery try's time limit. Default 30 s. */
  readonly sendTimeoutMs?: number;
}

/** Notices given up, and owed, per destination (`receiver/channel`): what `/metrics` shows. */
export interface OutboxStats {
  readonly givenUp: readonly {
    readonly receiver: string;
    readonly channel: string;
    readonly reason: GiveUpReason;
    readonly count: number;
  }[];
  readonly pending: readonly {
    readonly receiver: string;
    readonly channel: string;
    readonly notices: number;
    readonly bytes: number;
  }[];
}

/** How long delivered and given-up rows stay. */
const KEEP_DONE_MS = 7 * 86_400_000;

const groupOf = (r: PendingRow) => r.group_key ?? `#${r.id}`;

/** The first owed row of each notice group: the only ones that may go now, oldest first. */
function groupHeads(rows: readonly PendingRow[]): PendingRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(groupOf(r)) && seen.add(groupOf(r)));
}

/**
 * At-least-once delivery. A notice is enqueued, one row per channel of its receiver, in the same
 * transaction that records its group as told; a row is marked sent only after its channel took
 * it. A crash between the two sends that row once more on restart, with the same dedup key:
 * at most one duplicate, never a loss.
 *
 * Each notice keeps its own retry state. A notice waits only behind earlier notices of its own
 * group, so a resolved notice never overtakes its firing one, while a notice that cannot be
 * delivered holds up nothing else. Failures retry after 1 s, 2 s, 4 s, … up to `maxRetryMs`; a
 * notice the receiver refuses outright (a 4xx other than 408, 425 and 429; an SMTP 5xx) is
 * given up after `refusalsBeforeGiveUp` tries, one still undelivered after `giveUpAfterMs` too,
 * each with its reason kept and counted. A destination holds at most `maxPending` notices and
 * `maxPendingBytes`; past that its oldest are given up (`outbox-full`).
 *
 * A receiver's `rate_limit` of `max` per `per` counts messages: while under it, notices go one
 * by one, and the last message allowed carries every notice that may go, as one digest; at the
 * limit, notices wait and the next allowed message is again one digest of all of them. A
 * notice once refused goes alone, so one too big for the receiver cannot sink a digest.
 *
 * @example
 * ```ts
 * const outbox = new Outbox(db, { receiver: (name) => receivers.get(name), send: channels });
 * db.transaction(() => outbox.enqueue(notice))();
 * outbox.kick();
 * ```
 */
export class Outbox {
  readonly #db: ServerDatabase;
  readonly #table: OutboxTable;
  readonly #options: OutboxOptions;
  readonly #timers: Timers;
  readonly #report: (message: string, err?: unknown) => void;
  /** Given-up counts by destination and reason, since start. */
  readonly #givenUp = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  readonly #abort = new AbortController();

  constructor(db: ServerDatabase, options: OutboxOptions) {
    migrateAlertTables(db);
    this.#db = db;
    this.#table = new OutboxTable(db);
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#report = options.report ?? ((m, e) => console.error(m, e ?? ''));
  }

  /** Adds a notice, one row per channel of its receiver; a dedup key already there is ignored. */
  enqueue(n: Notification): void {
    const receiver = this.#options.receiver(n.receiver);
    if (!receiver) return;
    for (const channel of CHANNELS) {
      // Alertmanagers hear the current state every round from the forwarder, never a queue.
      if (!receiver[channel] || channel === 'alertmanager') continue;
      const destination = `${n.receiver}/${channel}`;
      this.#table.insert(destination, channel, n);
      this.#bound(destination);
    }
  }

  /** Notices not yet delivered nor given up. */
  pending(): number {
    return this.#table.pendingCount();
  }

  /** Given-up counts and what is owed, per destination. */
  stats(): OutboxStats {
    const split = (destination: string) => {
      const at = destination.lastIndexOf('/');
      return { receiver: destination.slice(0, at), channel: destination.slice(at + 1) };
    };
    return {
      givenUp: [...this.#givenUp].map(([key, count]) => {
        const [destination, reason] = key.split('\0') as [string, GiveUpReason];
        return { ...split(destination), reason, count };
      }),
      pending: this.#table
        .pendingByDestination()
        .map((p) => ({ ...split(p.destination), notices: p.n, bytes: p.bytes })),
    };
  }

  /** The most recently given-up notices, with why: for an operator, or a test. */
  givenUp(limit?: number) {
    return this.#table.givenUp(limit);
  }

  /** Starts delivering; rows left from before a restart go first. */
  start(): void {
    this.#stopped = false;
    // Delivered and given-up rows are kept a week for inspection, then dropped.
    this.#table.prune(this.#timers.now() - KEEP_DONE_MS);
    this.kick();
  }

  /** Delivers what is due now, soon (never inside the caller's transaction). */
  kick(): void {
    this.#wake(this.#timers.now());
  }

  /** Stops the timer, cancels a try in flight (it will be retried) and waits for it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort.abort(new Error('outbox stopped'));
    await this.#running;
  }

  /** One delivery pass over every destination; resolves when it is done. Tests call it directly. */
  deliver(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = (async () => {
      do {
        this.#again = false;
        await Promise.all(this.#table.destinations().map((d) => this.#drain(d)));
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  #wake(at: number): void {
    if (this.#stopped || at >= this.#timerAt) return;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#timers.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.deliver().catch((err) => this.#report('alert outbox delivery failed:', err));
      },
      Math.max(0, at - this.#timers.now()),
    );
  }

  /** Delivers one destination's due notices, each group in order, until all must wait. */
  async #drain(destination: string): Promise<void> {
    const [name, channel] = destination.split('/') as [string, Channel];
    while (!this.#stopped) {
      const now = this.#timers.now();
      const rows = this.#table.pending(destination);
      if (rows.length === 0) return;
      const receiver = this.#options.receiver(name);
      if (!receiver?.[channel]) {
        for (const r of rows) this.#giveUp(destination, r, 'receiver-gone');
        continue;
      }
      const maxAge = this.#options.giveUpAfterMs ?? 86_400_000;
      const expired = rows.filter((r) => now - r.created_at > maxAge);
      if (expired.length > 0) {
        for (const r of expired) this.#giveUp(destination, r, 'expired');
        continue;
      }
      const heads = groupHeads(rows);
      const due = heads.filter((r) => r.next_attempt_at <= now);
      if (due.length === 0) return this.#wake(Math.min(...heads.map((r) => r.next_attempt_at)));
      const messages = this.#messages(destination, rows, due, receiver, now);
      if (typeof messages === 'number') return this.#wake(messages);
      for (const batch of messages) {
        if (this.#stopped) return;
        try {
          const signal = AbortSignal.any([
            this.#abort.signal,
            AbortSignal.timeout(this.#options.sendTimeoutMs ?? 30_000),
          ]);
          await this.#options.send[channel](receiver, this.#table.notices(batch), signal);
        } catch (err) {
          // Only this notice backs off; the others due go on.
          this.#failed(destination, batch, err);
          continue;
        }
        this.#table.markSent(batch, this.#timers.now());
      }
    }
  }

  /**
   * The messages to send now, each a list of rows (one notice, or a digest), or when to look
   * again because the rate limit is reached.
   */
  #messages(
    destination: string,
    rows: readonly PendingRow[],
    due: readonly PendingRow[],
    receiver: Receiver,
    now: number,
  ): PendingRow[][] | number {
    const limit = receiver.rateLimit;
    if (!limit) return due.map((r) => [r]);
    const sent = this.#db
      .prepare(
        `SELECT batch, MIN(sent_at) AS at FROM alert_outbox WHERE destination = ? AND sent_at > ?
         GROUP BY batch ORDER BY at`,
      )
      .all(destination, now - limit.perMs) as { batch: number; at: number }[];
    if (sent.length >= limit.max) return sent[sent.length - limit.max].at + limit.perMs;
    if (sent.length < limit.max - 1) return [[due[0]]];
    // The last message allowed: every group that may go now, each in order; a notice once
    // refused goes alone, after.
    const groups = new Set(due.filter((r) => r.refusals === 0).map(groupOf));
    const digest = rows.filter((r) => groups.has(groupOf(r)));
    return [digest.length > 0 ? digest : [due[0]]];
  }

  #failed(destination: string, batch: readonly PendingRow[], err: unknown): void {
    const head = batch[0];
    const refused = isPermanentFailure(err);
    const first = this.#options.firstRetryMs ?? 1_000;
    const max = this.#options.maxRetryMs ?? 60_000;
    const at = this.#timers.now() + backoffDelay(head.attempts, first, max);
    if (head.attempts === 0) this.#report(`alert notice to ${destination} failed; retrying:`, err);
    this.#table.markFailed(batch, at, errorMessage(err), refused);
    if (!refused) return;
    const limit = this.#options.refusalsBeforeGiveUp ?? 3;
    for (const r of batch) {
      if (r.refusals + 1 >= limit) this.#giveUp(destination, r, 'refused', errorMessage(err));
    }
  }

  /** Gives up the oldest owed notices while the destination holds more than its bounds. */
  #bound(destination: string): void {
    const maxPending = this.#options.maxPending ?? OUTBOX_BOUNDS.maxPending;
    const maxBytes = this.#options.maxPendingBytes ?? OUTBOX_BOUNDS.maxPendingBytes;
    let { count, bytes } = this.#table.pendingTotal(destination);
    if (count <= maxPending && bytes <= maxBytes) return;
    for (const r of this.#table.pending(destination)) {
      // The newest notice always stays: it says how things are now.
      if ((count <= maxPending && bytes <= maxBytes) || count === 1) break;
      this.#giveUp(destination, r, 'outbox-full', `${count} notices, ${bytes} bytes owed`);
      count--;
      bytes -= r.bytes;
    }
  }

  #giveUp(destination: string, row: PendingRow, reason: GiveUpReason, detail = ''): void {
    this.#table.giveUp(row, reason, this.#timers.now());
    const key = `${destination}\0${reason}`;
    this.#givenUp.set(key, (this.#givenUp.get(key) ?? 0) + 1);
    this.#report(
      `alert notice ${row.id} to ${destination} given up (${reason})${detail ? `: ${detail}` : ''}`,
    );
  }
}
