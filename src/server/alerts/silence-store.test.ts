/** Silences: matching as Alertmanager matches, status by the clock, refusals that name the field, kept across a reopen. */
import { describe, expect, it } from 'vitest';
import { manualTimers } from '#test-support/manual-timers.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { openDatabase } from '../database/index.js';
import { SilenceError } from './alerting.js';
import { SilenceStore } from './silence-store.js';

const T0 = Date.UTC(2026, 3, 15, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const temp = useTempDatabase('kpi-silences-');

describe('SilenceStore', () => {
  it('matches equal, regex (anchored, RE2) and negated matchers, only while active', async () => {
    const timers = manualTimers(T0);
    const store = new SilenceStore(temp.db, timers);
    const s = store.add({
      matchers: [
        { name: 'kpi', value: 'efile-.*', isRegex: true },
        { name: 'agency', value: 'SSA', isRegex: false, isEqual: false },
      ],
      startsAt: iso(T0 + 60_000),
      endsAt: iso(T0 + 120_000),
      createdBy: 'jane',
      comment: 'deploy',
    });
    const irs = { kpi: 'efile-error-rate', agency: 'IRS' };
    expect(s.status).toBe('pending');
    expect(store.mutedBy(irs)).toEqual([]);
    await timers.advance(60_000);
    expect(store.get(s.id)?.status).toBe('active');
    expect(store.mutedBy(irs)).toEqual([s.id]);
    expect(store.mutedBy({ ...irs, agency: 'SSA' })).toEqual([]);
    expect(store.mutedBy({ kpi: 'x-efile-error-rate', agency: 'IRS' })).toEqual([]);
    await timers.advance(60_000);
    expect(store.get(s.id)?.status).toBe('expired');
    expect(store.mutedBy(irs)).toEqual([]);
  });

  it('refuses bad silences, naming the field', () => {
    const store = new SilenceStore(temp.db, manualTimers(T0));
    const base = {
      matchers: [{ name: 'a', value: 'b', isRegex: false }],
      endsAt: iso(T0 + 1),
      createdBy: 'x',
      comment: 'y',
    };
    const field = (input: Partial<typeof base> & Record<string, unknown>) => {
      try {
        store.add({ ...base, ...input });
      } catch (err) {
        expect(err).toBeInstanceOf(SilenceError);
        return (err as SilenceError).field;
      }
      return 'accepted';
    };
    expect(field({})).toBe('accepted');
    expect(field({ matchers: [{ name: 'a', value: '(', isRegex: true }] })).toBe(
      'matchers[0].value',
    );
    expect(field({ matchers: [{ name: '1a', value: 'b', isRegex: false }] })).toBe(
      'matchers[0].name',
    );
    expect(field({ matchers: [{ name: 'a', value: '.*', isRegex: true }] })).toBe('matchers');
    expect(field({ endsAt: iso(T0 - 1) })).toBe('endsAt');
    expect(field({ endsAt: 'tomorrow' })).toBe('endsAt');
    expect(field({ comment: ' ' })).toBe('comment');
  });

  it('keeps silences across a reopen; expiring a pending one means it never muted', () => {
    const timers = manualTimers(T0);
    const store = new SilenceStore(temp.db, timers);
    const later = store.add({
      matchers: [{ name: 'a', value: 'b', isRegex: false }],
      startsAt: iso(T0 + 60_000),
      endsAt: iso(T0 + 3_600_000),
      createdBy: 'x',
      comment: 'y',
    });
    const now = store.add({
      matchers: [{ name: 'a', value: 'b', isRegex: false }],
      endsAt: iso(T0 + 3_600_000),
      createdBy: 'x',
      comment: 'y',
    });
    expect(store.expire(later.id)).toMatchObject({
      status: 'expired',
      startsAt: iso(T0),
      endsAt: iso(T0),
    });
    expect(store.expire('nope')).toBeUndefined();
    temp.db.close();
    temp.db = openDatabase(temp.dir);
    const reopened = new SilenceStore(temp.db, timers);
    expect(
      reopened
        .list()
        .map((s) => [s.id, s.status])
        .sort(),
    ).toEqual(
      [
        [later.id, 'expired'],
        [now.id, 'active'],
      ].sort(),
    );
    expect(reopened.mutedBy({ a: 'b' })).toEqual([now.id]);
  });
});
