/** The durable outbox: notices in SQLite until a channel takes them, retried with backoff, rate-limited into digests. */

import { backoffDelay } from '../../sdk/backoff.js';
import { errorMessage } from '../../shared/error-message.js';
import type { ServerDatabase } from '../database/index.js';
import type { Receiver } from '../policy/types.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import { migrateAlertTables } from './alert-tables.js';
import type { Notification } from './notification.js';

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
export interface OutboxOptions {
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
  /** One delivery try's time limit. Default 30 s. */
  readonly sendTimeoutMs?: number;
}

/** How long delivered and given-up rows stay. */
const KEEP_DONE_MS = 7 * 86_400_000;

interface Row {
  readonly id: number;
  readonly body: string;
  readonly attempts: number;
  readonly next_attempt_at: number;
  readonly created_at: number;
}

/**
 * At-least-once delivery. A notice is enqueued, one row per channel of its receiver, in the same
 * transaction that records its group as told; a row is marked sent only after its channel took
 * it. A crash between the two sends that row once more on restart, with the same dedup key:
 * at most one duplicate, never a loss. Each destination (receiver and channel) delivers in
 * order, so a resolved notice never overtakes its firing one.
 *
 * Failures retry after 1 s, 2 s, 4 s, … up to `maxRetryMs`. A receiver's `rate_limit` of
 * `max` per `per` counts messages: while under it, notices go one by one, and the last message
 * allowed carries every notice waiting, as one digest; at the limit, notices wait and the next
 * allowed message is again one digest of all of them.
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
  readonly #options: OutboxOptions;
  readonly #timers: Timers;
  readonly #report: (message: string, err?: unknown) => void;
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  readonly #abort = new AbortController();

  constructor(db: ServerDatabase, options: OutboxOptions) {
    migrateAlertTables(db);
    this.#db = db;
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#report = options.report ?? ((m, e) => console.error(m, e ?? ''));
  }

  /** Adds a notice, one row per channel of its receiver; a dedup key already there is ignored. */
  enqueue(n: Notification): void {
    const receiver = this.#options.receiver(n.receiver);
    if (!receiver) return;
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO alert_outbox (destination, dedup_key, body, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    for (const channel of CHANNELS) {
      // Alertmanagers hear the current state every round from the forwarder, never a queue.
      if (!receiver[channel] || channel === 'alertmanager') continue;
      insert.run(
        `${n.receiver}/${channel}`,
        `${n.dedupKey}/${channel}`,
        JSON.stringify(n),
        n.createdAt,
        n.createdAt,
      );
    }
  }

  /** Notices not yet delivered nor given up. */
  pending(): number {
    return (
      this.#db
        .prepare(
          'SELECT COUNT(*) AS n FROM alert_outbox WHERE sent_at IS NULL AND failed_at IS NULL',
        )
        .get() as { n: number }
    ).n;
  }

  /** Starts delivering; rows left from before a restart go first. */
  start(): void {
    this.#stopped = false;
    // Delivered and given-up rows are kept a week for inspection, then dropped.
    this.#db
      .prepare('DELETE FROM alert_outbox WHERE COALESCE(sent_at, failed_at) < ?')
      .run(this.#timers.now() - KEEP_DONE_MS);
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
        await this.#pass();
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

  async #pass(): Promise<void> {
    const destinations = this.#db
      .prepare(
        'SELECT DISTINCT destination FROM alert_outbox WHERE sent_at IS NULL AND failed_at IS NULL',
      )
      .all() as { destination: string }[];
    await Promise.all(destinations.map((d) => this.#drain(d.destination)));
  }

  /** Delivers one destination's due rows in order, until one must wait. */
  async #drain(destination: string): Promise<void> {
    const [name, channel] = destination.split('/') as [string, Channel];
    while (!this.#stopped) {
      const now = this.#timers.now();
      const rows = this.#db
        .prepare(
          `SELECT id, body, attempts, next_attempt_at, created_at FROM alert_outbox
           WHERE destination = ? AND sent_at IS NULL AND failed_at IS NULL ORDER BY id`,
        )
        .all(destination) as Row[];
      const head = rows[0];
      if (!head) return;
      const receiver = this.#options.receiver(name);
      if (
        !receiver?.[channel] ||
        now - head.created_at > (this.#options.giveUpAfterMs ?? 86_400_000)
      ) {
        this.#giveUp(
          head,
          receiver ? 'undelivered for too long' : 'the receiver is gone from the policy',
        );
        continue;
      }
      if (head.next_attempt_at > now) return this.#wake(head.next_attempt_at);
      const batch = this.#batch(destination, rows, receiver, now);
      if (typeof batch === 'number') return this.#wake(batch);
      try {
        const signal = AbortSignal.any([
          this.#abort.signal,
          AbortSignal.timeout(this.#options.sendTimeoutMs ?? 30_000),
        ]);
        await this.#options.send[channel](
          receiver,
          batch.map((r) => JSON.parse(r.body) as Notification),
          signal,
        );
      } catch (err) {
        this.#retry(destination, batch, head, err);
        continue;
      }
      const done = this.#db.prepare(
        'UPDATE alert_outbox SET sent_at = ?, batch = ?, last_error = NULL WHERE id = ?',
      );
      this.#db.transaction(() => {
        for (const r of batch) done.run(this.#timers.now(), head.id, r.id);
      })();
    }
  }

  /** The rows to send now, or when to look again because the rate limit is reached. */
  #batch(destination: string, rows: Row[], receiver: Receiver, now: number): Row[] | number {
    const limit = receiver.rateLimit;
    if (!limit) return [rows[0]];
    const sent = this.#db
      .prepare(
        `SELECT batch, MIN(sent_at) AS at FROM alert_outbox WHERE destination = ? AND sent_at > ?
         GROUP BY batch ORDER BY at`,
      )
      .all(destination, now - limit.perMs) as { batch: number; at: number }[];
    if (sent.length >= limit.max) return sent[sent.length - limit.max].at + limit.perMs;
    return sent.length === limit.max - 1 ? rows : [rows[0]];
  }

  #retry(destination: string, batch: Row[], head: Row, err: unknown): void {
    const first = this.#options.firstRetryMs ?? 1_000;
    const max = this.#options.maxRetryMs ?? 60_000;
    const delay = backoffDelay(head.attempts, first, max);
    const at = this.#timers.now() + delay;
    if (head.attempts === 0) this.#report(`alert notice to ${destination} failed; retrying:`, err);
    const update = this.#db.prepare(
      'UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
    );
    this.#db.transaction(() => {
      for (const r of batch) update.run(at, errorMessage(err), r.id);
    })();
  }

  #giveUp(row: Row, why: string): void {
    this.#db
      .prepare('UPDATE alert_outbox SET failed_at = ? WHERE id = ?')
      .run(this.#timers.now(), row.id);
    this.#report(`alert notice ${row.id} given up: ${why}`);
  }
}
