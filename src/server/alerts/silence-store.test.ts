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

  it.each<[string, { name: string; value: string; isRegex: boolean; isEqual?: boolean }[]]>([
    ['alertname=~".+"', [{ name: 'alertname', value: '.+', isRegex: true }]],
    ['alertname!=""', [{ name: 'alertname', value: '', isRegex: false, isEqual: false }]],
    ['alertname=~"(?s:.)+"', [{ name: 'alertname', value: '(?s:.)+', isRegex: true }]],
    ['severity=~"[^\\x00]+"', [{ name: 'severity', value: '[^\\x00]+', isRegex: true }]],
    [
      'alertname=~".+", kpi=~".*"',
      [
        { name: 'alertname', value: '.+', isRegex: true },
        { name: 'kpi', value: '.*', isRegex: true },
      ],
    ],
    [
      'agency!~"(?i)NOBODY"',
      [{ name: 'agency', value: '(?i)NOBODY', isRegex: true, isEqual: false }],
    ],
    ['a=~"x|.*"', [{ name: 'a', value: 'x|.*', isRegex: true }]],
  ])('refuses %s: it mutes every alert there can be', (_what, matchers) => {
    const store = new SilenceStore(temp.db, manualTimers(T0));
    expect(() =>
      store.add({ matchers, endsAt: iso(T0 + 60_000), createdBy: 'x', comment: 'y' }),
    ).toThrow(/match every alert/);
  });

  it.each<[string, { name: string; value: string; isRegex: boolean; isEqual?: boolean }[]]>([
    ['alertname=~"Efile.+"', [{ name: 'alertname', value: 'Efile.+', isRegex: true }]],
    [
      'alertname!="EfileErrors"',
      [{ name: 'alertname', value: 'EfileErrors', isRegex: false, isEqual: false }],
    ],
    ['agency=~".+"', [{ name: 'agency', value: '.+', isRegex: true }]],
    ['severity=~"crit.*"', [{ name: 'severity', value: 'crit.*', isRegex: true }]],
  ])('accepts %s: some alert escapes it', (_what, matchers) => {
    const store = new SilenceStore(temp.db, manualTimers(T0));
    expect(
      store.add({ matchers, endsAt: iso(T0 + 60_000), createdBy: 'x', comment: 'y' }).status,
    ).toBe('active');
  });

  it('is bounded: live silences, matchers, bytes; expired ones pruned by age and count', async () => {
    const timers = manualTimers(T0);
    const store = new SilenceStore(temp.db, timers, { maxLive: 3, maxExpired: 2 });
    const add = (value: string, endsAt = iso(T0 + 60_000)) =>
      store.add({
        matchers: [{ name: 'agency', value, isRegex: false }],
        endsAt,
        createdBy: 'x',
        comment: 'y',
      });
    const [a, b, c] = [add('A'), add('B', iso(T0 + 30_000)), add('C', iso(T0 + 45_000))];
    expect(() => add('D')).toThrow('3 silences are active or pending, the most kept');
    expect(() =>
      store.add({
        matchers: Array.from({ length: 33 }, (_, i) => ({
          name: `l${i}`,
          value: 'v',
          isRegex: false,
        })),
        endsAt: iso(T0 + 60_000),
        createdBy: 'x',
        comment: 'y',
      }),
    ).toThrow('at most 32 matchers');
    store.expire(a.id);
    expect(() =>
      store.add({
        matchers: [{ name: 'agency', value: 'IRS', isRegex: false }],
        endsAt: iso(T0 + 60_000),
        createdBy: 'x',
        comment: 'y'.repeat(9_000),
      }),
    ).toThrow(/at most 8192 bytes/);
    // a expired now; b and c expire by the clock: only the two newest expired stay listed.
    await timers.advance(50_000);
    expect(
      store
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual([b.id, c.id].sort());
    expect(store.mutedBy({ agency: 'B' })).toEqual([]);
    // And none past 120 h, in memory or in the database.
    await timers.advance(121 * 3_600_000);
    expect(store.list()).toEqual([]);
    expect(temp.db.prepare('SELECT COUNT(*) AS n FROM alert_silences').get()).toEqual({ n: 0 });
  });

  it('matches a thousand silences against a thousand alerts without a stall', () => {
    const store = new SilenceStore(temp.db, manualTimers(T0));
    for (let i = 0; i < 1_000; i++) {
      store.add({
        matchers: [
          { name: 'agency', value: `A${i}`, isRegex: false },
          { name: 'kpi', value: 'efile-.*', isRegex: true },
        ],
        endsAt: iso(T0 + 3_600_000),
        createdBy: 'x',
        comment: 'y',
      });
    }
    const started = performance.now();
    let muted = 0;
    for (let i = 0; i < 1_000; i++) {
      muted += store.mutedBy({ alertname: 'X', agency: `A${i}`, kpi: 'efile-latency' }).length;
    }
    const ms = performance.now() - started;
    expect(muted).toBe(1_000);
    // Indexed: each alert is tested against the one silence that names its agency. A scan of
    // every silence for every alert (a million regex tests) took about a second.
    console.info(`1 000 alerts against 1 000 silences: ${ms.toFixed(1)} ms`);
  });
});
