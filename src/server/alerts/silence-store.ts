/** Silences: Alertmanager's matchers, start, end, author and comment, persisted in SQLite, bounded and indexed. */
import { randomUUID } from 'node:crypto';
import type { NewSilence, Silence, SilenceMatcher } from '../../sdk/types.js';
import { errorMessage } from '../../shared/error-message.js';
import { checkLabelName } from '../../shared/label-name.js';
import type { ServerDatabase } from '../database/index.js';
import { compileValuePattern } from '../go-regex/value-pattern.js';
import type { Labels } from '../model/model.js';
import type { Clock } from '../schedule/index.js';
import { migrateAlertTables } from './alert-tables.js';
import { type SilenceBook, SilenceError } from './alerting.js';
import { mutesEveryAlert, type ValueTest } from './silence-coverage.js';

/** Bounds of the silence book. Every field is optional. */
export interface SilenceLimits {
  /** Silences active or pending at once; one more is refused. Default 1 000. */
  readonly maxLive?: number;
  /** Expired silences kept listed (the newest); older ones are dropped. Default 1 000. */
  readonly maxExpired?: number;
  /** Expired silences stay listed this long, as in Alertmanager (its default, 120 h). */
  readonly keepExpiredMs?: number;
  /** Largest silence, its matchers, author and comment as JSON. Default 8 KiB. */
  readonly maxBytes?: number;
  /** Most matchers in one silence. Default 32. */
  readonly maxMatchers?: number;
}

/** Defaults of {@link SilenceLimits}. */
export const SILENCE_LIMITS = {
  maxLive: 1_000,
  maxExpired: 1_000,
  keepExpiredMs: 120 * 3_600_000,
  maxBytes: 8 * 1024,
  maxMatchers: 32,
} as const satisfies Required<SilenceLimits>;

type Stored = Omit<Silence, 'status'>;

/** A silence in memory: times parsed once, matchers compiled once. */
interface Entry {
  readonly stored: Stored;
  readonly startsMs: number;
  readonly endsMs: number;
  readonly test: (labels: Labels) => boolean;
}

function compileMatcher(m: SilenceMatcher, at: string): ValueTest {
  // Alerts carry no __ labels, but matching on one is harmless, as in Alertmanager.
  const refused = checkLabelName(m.name, { refuseDoubleUnderscore: false });
  if (refused) throw new SilenceError(`${at}.name`, `"${m.name}" ${refused}`);
  let match: (v: string) => boolean;
  if (m.isRegex) {
    try {
      match = compileValuePattern(m.value).test;
    } catch (err) {
      throw new SilenceError(`${at}.value`, `invalid regex: ${errorMessage(err)}`);
    }
  } else {
    match = (v) => v === m.value;
  }
  const equal = m.isEqual !== false;
  return { name: m.name, accepts: (v) => match(v) === equal };
}

function parseTime(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new SilenceError(field, `expected an RFC 3339 time, got "${text}"`);
  return ms;
}

/** The values a silence names: its literals, and its regexes with their operators taken out. */
function namedValues(matchers: readonly SilenceMatcher[]): string[] {
  return matchers.flatMap((m) =>
    m.isRegex ? [m.value, m.value.replace(/[\\^$.*+?()[\]{}|]/g, '')] : [m.value],
  );
}

/** `name=value` of a silence's first plain equality matcher: the index it is found by. */
function indexKey(matchers: readonly SilenceMatcher[]): string | undefined {
  const m = matchers.find((x) => !x.isRegex && x.isEqual !== false && x.value !== '');
  return m && `${m.name}\0${m.value}`;
}

/**
 * The silences, in memory and in `alert_silences`. A silence mutes an alert while it is active
 * (`startsAt <= now < endsAt`) and all its matchers match the alert's labels.
 *
 * Bounded: at most `maxLive` silences active or pending (one more is refused), each at most
 * `maxBytes` and `maxMatchers`; expired ones stay listed for `keepExpiredMs`, at most
 * `maxExpired` of them. Matching is indexed by each silence's first equality matcher, so an
 * alert is tested only against silences that could match it (and those with none).
 *
 * @example
 * ```ts
 * const silences = new SilenceStore(db, realTimers);
 * const s = silences.add({ matchers: [{ name: 'agency', value: 'IRS', isRegex: false }],
 *   endsAt: '2026-12-03T08:00:00Z', createdBy: 'jane', comment: 'migration' });
 * silences.mutedBy({ agency: 'IRS', alertname: 'X' }); // [s.id]
 * ```
 */
export class SilenceStore implements SilenceBook {
  readonly #clock: Clock;
  readonly #limits: Required<SilenceLimits>;
  readonly #silences = new Map<string, Entry>();
  /** Silences not yet expired, by `name\0value` of an equality matcher, or unindexed. */
  readonly #byMatcher = new Map<string, Set<Entry>>();
  readonly #unindexed = new Set<Entry>();
  readonly #put;
  readonly #delete;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(db: ServerDatabase, clock: Clock, limits: SilenceLimits = {}) {
    migrateAlertTables(db);
    this.#clock = clock;
    this.#limits = { ...SILENCE_LIMITS, ...limits };
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO alert_silences (id, ends_at, body) VALUES (?, ?, ?)',
    );
    this.#delete = db.prepare('DELETE FROM alert_silences WHERE id = ?');
    for (const row of db.prepare('SELECT body FROM alert_silences').all() as { body: string }[]) {
      const stored = JSON.parse(row.body) as Stored;
      this.#remember(stored, this.#compile(stored.matchers));
    }
    this.#prune();
  }

  list(): Silence[] {
    this.#prune();
    return [...this.#silences.values()]
      .map((s) => this.#view(s.stored))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
  }

  get(id: string): Silence | undefined {
    const s = this.#silences.get(id);
    return s && this.#view(s.stored);
  }

  add(input: NewSilence): Silence {
    const now = this.#clock.now();
    if (!Array.isArray(input.matchers) || input.matchers.length === 0) {
      throw new SilenceError('matchers', 'a silence needs at least one matcher');
    }
    if (input.matchers.length > this.#limits.maxMatchers) {
      throw new SilenceError(
        'matchers',
        `a silence has at most ${this.#limits.maxMatchers} matchers, got ${input.matchers.length}`,
      );
    }
    const tests = input.matchers.map((m, i) => compileMatcher(m, `matchers[${i}]`));
    if (mutesEveryAlert(tests, namedValues(input.matchers))) {
      throw new SilenceError(
        'matchers',
        'the matchers match every alert; name at least one label value an alert must have',
      );
    }
    const startsAt = input.startsAt === undefined ? now : parseTime(input.startsAt, 'startsAt');
    const endsAt = parseTime(input.endsAt, 'endsAt');
    if (endsAt <= Math.max(startsAt, now)) {
      throw new SilenceError('endsAt', 'must be after startsAt and in the future');
    }
    if (!input.createdBy?.trim()) throw new SilenceError('createdBy', 'say who silences');
    if (!input.comment?.trim()) throw new SilenceError('comment', 'say why');
    const stored: Stored = {
      id: randomUUID(),
      matchers: input.matchers.map((m) => ({
        name: m.name,
        value: m.value,
        isRegex: m.isRegex,
        isEqual: m.isEqual !== false,
      })),
      startsAt: new Date(Math.max(startsAt, now)).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      createdBy: input.createdBy.trim(),
      comment: input.comment.trim(),
      updatedAt: new Date(now).toISOString(),
    };
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    if (bytes > this.#limits.maxBytes) {
      throw new SilenceError(
        'body',
        `a silence is at most ${this.#limits.maxBytes} bytes as JSON, this one ${bytes}; shorten its matchers or comment`,
      );
    }
    this.#prune();
    const live = [...this.#silences.values()].filter((s) => s.endsMs > now).length;
    if (live >= this.#limits.maxLive) {
      throw new SilenceError(
        'body',
        `${live} silences are active or pending, the most kept; expire one first (DELETE /api/v1/silences/:id)`,
      );
    }
    this.#save(stored, this.#compile(stored.matchers));
    return this.#view(stored);
  }

  expire(id: string): Silence | undefined {
    const s = this.#silences.get(id);
    if (!s) return undefined;
    const now = this.#clock.now();
    if (s.endsMs <= now) return this.#view(s.stored);
    const iso = new Date(now).toISOString();
    // A silence that had not started ends where it would have started: it never muted anything.
    const startsAt = s.startsMs > now ? iso : s.stored.startsAt;
    const stored = { ...s.stored, startsAt, endsAt: iso, updatedAt: iso };
    this.#save(stored, s.test);
    this.#prune();
    return this.#view(stored);
  }

  /** Ids of the active silences that mute an alert with these labels. */
  mutedBy(labels: Labels): string[] {
    const now = this.#clock.now();
    // Expired silences leave the index at most a minute late; matching skips them meanwhile.
    if (now - this.#prunedAt > 60_000) this.#prune();
    const out: string[] = [];
    const consider = (e: Entry) => {
      if (e.startsMs <= now && now < e.endsMs && e.test(labels)) out.push(e.stored.id);
    };
    for (const e of this.#unindexed) consider(e);
    for (const [name, value] of Object.entries(labels)) {
      for (const e of this.#byMatcher.get(`${name}\0${value}`) ?? []) consider(e);
    }
    return out.sort();
  }

  #compile(matchers: readonly SilenceMatcher[]): Entry['test'] {
    const tests = matchers.map((m, i) => compileMatcher(m, `matchers[${i}]`));
    // A missing label reads as "", as in Alertmanager and Prometheus.
    return (labels) => tests.every((t) => t.accepts(labels[t.name] ?? ''));
  }

  #save(stored: Stored, test: Entry['test']): void {
    this.#put.run(stored.id, Date.parse(stored.endsAt), JSON.stringify(stored));
    this.#remember(stored, test);
  }

  #remember(stored: Stored, test: Entry['test']): void {
    this.#forget(stored.id);
    const entry: Entry = {
      stored,
      startsMs: Date.parse(stored.startsAt),
      endsMs: Date.parse(stored.endsAt),
      test,
    };
    this.#silences.set(stored.id, entry);
    const key = indexKey(stored.matchers);
    if (key === undefined) this.#unindexed.add(entry);
    else this.#byMatcher.set(key, (this.#byMatcher.get(key) ?? new Set()).add(entry));
  }

  #forget(id: string): void {
    const old = this.#silences.get(id);
    if (!old) return;
    this.#silences.delete(id);
    this.#unindex(old);
  }

  #unindex(entry: Entry): void {
    this.#unindexed.delete(entry);
    const key = indexKey(entry.stored.matchers);
    const set = key === undefined ? undefined : this.#byMatcher.get(key);
    set?.delete(entry);
    if (key !== undefined && set?.size === 0) this.#byMatcher.delete(key);
  }

  /**
   * Drops expired silences past their retention, and the oldest beyond `maxExpired`; expired
   * ones leave the matching index at once.
   */
  #prune(): void {
    const now = this.#clock.now();
    this.#prunedAt = now;
    const expired = [...this.#silences.values()]
      .filter((s) => s.endsMs <= now)
      .sort((a, b) => b.endsMs - a.endsMs);
    expired.forEach((s, i) => {
      this.#unindex(s);
      if (i >= this.#limits.maxExpired || s.endsMs < now - this.#limits.keepExpiredMs) {
        this.#silences.delete(s.stored.id);
        this.#delete.run(s.stored.id);
      }
    });
  }

  #view(s: Stored): Silence {
    const now = this.#clock.now();
    const status =
      Date.parse(s.endsAt) <= now ? 'expired' : Date.parse(s.startsAt) > now ? 'pending' : 'active';
    return { ...s, status };
  }
}
