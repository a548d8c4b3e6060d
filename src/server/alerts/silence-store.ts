/** Silences: Alertmanager's matchers, start, end, author and comment, persisted in SQLite. */
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

/** Expired silences stay listed this long, as in Alertmanager (its default retention, 120 h). */
const KEEP_EXPIRED_MS = 120 * 3_600_000;

type Stored = Omit<Silence, 'status'>;
type Test = (labels: Labels) => boolean;

function compileMatcher(m: SilenceMatcher, at: string): Test {
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
  // A missing label reads as "", as in Alertmanager and Prometheus.
  return (labels) => match(labels[m.name] ?? '') === equal;
}

function parseTime(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms))
    throw new SilenceError(field, `expected an RFC 3339 time, got "${text}"`);
  return ms;
}

/**
 * The silences, in memory and in `alert_silences`. A silence mutes an alert while it is active
 * (`startsAt <= now < endsAt`) and all its matchers match the alert's labels.
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
  readonly #silences = new Map<string, { stored: Stored; test: Test }>();
  readonly #put;

  constructor(db: ServerDatabase, clock: Clock) {
    migrateAlertTables(db);
    this.#clock = clock;
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO alert_silences (id, ends_at, body) VALUES (?, ?, ?)',
    );
    db.prepare('DELETE FROM alert_silences WHERE ends_at < ?').run(clock.now() - KEEP_EXPIRED_MS);
    for (const row of db.prepare('SELECT body FROM alert_silences').all() as { body: string }[]) {
      const stored = JSON.parse(row.body) as Stored;
      this.#silences.set(stored.id, { stored, test: this.#compile(stored.matchers) });
    }
  }

  list(): Silence[] {
    const cutoff = this.#clock.now() - KEEP_EXPIRED_MS;
    return [...this.#silences.values()]
      .filter((s) => Date.parse(s.stored.endsAt) >= cutoff)
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
    const test = this.#compile(input.matchers);
    if (test({})) {
      throw new SilenceError(
        'matchers',
        'the matchers match every alert; name at least one label value',
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
    this.#save(stored, test);
    return this.#view(stored);
  }

  expire(id: string): Silence | undefined {
    const s = this.#silences.get(id);
    if (!s) return undefined;
    const now = this.#clock.now();
    if (Date.parse(s.stored.endsAt) <= now) return this.#view(s.stored);
    const iso = new Date(now).toISOString();
    // A silence that had not started ends where it would have started: it never muted anything.
    const startsAt = Date.parse(s.stored.startsAt) > now ? iso : s.stored.startsAt;
    const stored = { ...s.stored, startsAt, endsAt: iso, updatedAt: iso };
    this.#save(stored, s.test);
    return this.#view(stored);
  }

  /** Ids of the active silences that mute an alert with these labels. */
  mutedBy(labels: Labels): string[] {
    const now = this.#clock.now();
    const out: string[] = [];
    for (const { stored, test } of this.#silences.values()) {
      if (Date.parse(stored.startsAt) <= now && now < Date.parse(stored.endsAt) && test(labels)) {
        out.push(stored.id);
      }
    }
    return out.sort();
  }

  #compile(matchers: readonly SilenceMatcher[]): Test {
    const tests = matchers.map((m, i) => compileMatcher(m, `matchers[${i}]`));
    return (labels) => tests.every((t) => t(labels));
  }

  #save(stored: Stored, test: Test): void {
    this.#put.run(stored.id, Date.parse(stored.endsAt), JSON.stringify(stored));
    this.#silences.set(stored.id, { stored, test });
  }

  #view(s: Stored): Silence {
    const now = this.#clock.now();
    const status =
      Date.parse(s.endsAt) <= now ? 'expired' : Date.parse(s.startsAt) > now ? 'pending' : 'active';
    return { ...s, status };
  }
}
