/** KPI history: buckets, worst status, retention, and data that outlives a restart. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupKey } from '../../shared/group-key.js';
import { openDatabase, type ServerDatabase } from '../database/index.js';
import { KpiHistoryStore, type StoredReading } from './kpi-history-store.js';

const DAY = 86_400_000;
let dir: string;
let db: ServerDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-history-'));
  db = openDatabase(dir);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const reading = (t: number, value: number | null, status: StoredReading['status'], group = '') => ({
  kpi: 'errors',
  group,
  t,
  value,
  status,
  policyVersion: 1,
});

describe('KpiHistoryStore', () => {
  it('averages values and keeps the worst status per bucket, filling empty buckets', () => {
    const h = new KpiHistoryStore(db);
    h.record([
      reading(60_000, 1, 'ok'),
      reading(75_000, 3, 'critical'),
      reading(90_000, 2, 'warning'),
      reading(180_000, null, 'unknown'),
      { ...reading(200_000, 4, 'ok'), policyVersion: 2 },
      { ...reading(300_000, null, 'unknown'), policyVersion: 2 },
    ]);
    // Each bucket names the newest policy version that judged a reading in it.
    expect(h.query('errors', { from: 70_000, to: 300_000, stepMs: 60_000 })).toEqual({
      t: [60_000, 120_000, 180_000, 240_000, 300_000],
      v: [2, null, 4, null, null],
      status: ['critical', 'unknown', 'unknown', 'unknown', 'unknown'],
      version: [1, null, 2, null, 2],
    });
  });

  it('ranks a known problem above unknown and unknown above ok', () => {
    const h = new KpiHistoryStore(db);
    h.record([reading(0, 1, 'ok'), reading(1, null, 'unknown'), reading(10, 1, 'ok')]);
    h.record([reading(11, null, 'unknown'), reading(12, 5, 'warning')]);
    expect(h.query('errors', { from: 0, to: 19, stepMs: 10 }).status).toEqual([
      'unknown',
      'warning',
    ]);
  });

  it('keeps groups apart, and NaN becomes null', () => {
    const h = new KpiHistoryStore(db);
    const irs = groupKey({ agency: 'IRS', env: 'prod' }, ['agency']);
    expect(irs).toBe('agency="IRS"');
    h.record([
      reading(0, 1, 'ok'),
      reading(0, 9, 'critical', irs),
      reading(5, Number.NaN, 'unknown'),
    ]);
    expect(h.query('errors', { from: 0, to: 9, stepMs: 10, group: irs })).toEqual({
      t: [0],
      v: [9],
      status: ['critical'],
      version: [1],
    });
    expect(h.query('errors', { from: 0, to: 9, stepMs: 10 }).v).toEqual([1]);
    expect(h.groups('errors')).toEqual(['', irs]);
  });

  it('replaces a reading recorded twice for the same time', () => {
    const h = new KpiHistoryStore(db);
    h.record([reading(0, 1, 'ok')]);
    h.record([reading(0, 7, 'critical')]);
    expect(h.query('errors', { from: 0, to: 0, stepMs: 1 })).toEqual({
      t: [0],
      v: [7],
      status: ['critical'],
      version: [1],
    });
  });

  it('refuses bad ranges and too many buckets', () => {
    const h = new KpiHistoryStore(db);
    expect(() => h.query('errors', { from: 0, to: 1, stepMs: 0 })).toThrow(/step must be/);
    expect(() => h.query('errors', { from: 5, to: 1, stepMs: 1 })).toThrow(/from <= to/);
    expect(() => h.query('errors', { from: 0, to: 20_000, stepMs: 1 })).toThrow(
      '20001 buckets asked for, at most 11000: use a larger step',
    );
  });

  it('prunes readings past the retention', () => {
    const h = new KpiHistoryStore(db, { retentionMs: 35 * DAY });
    const now = 100 * DAY;
    h.record([
      reading(now - 40 * DAY, 1, 'ok'),
      reading(now - 35 * DAY, 2, 'ok'),
      reading(now, 3, 'ok'),
    ]);
    expect(h.prune(now)).toBe(1);
    expect(h.prune(now)).toBe(0);
    const { v } = h.query('errors', { from: now - 40 * DAY, to: now, stepMs: DAY });
    expect(v.filter((x) => x !== null)).toEqual([2, 3]);
  });

  it('keeps everything across a restart', () => {
    const h = new KpiHistoryStore(db);
    const round = Array.from({ length: 100 }, (_, i) =>
      reading(i * 1000, i, i % 2 ? 'ok' : 'warning'),
    );
    h.record(round);
    db.close();
    db = openDatabase(dir);
    const again = new KpiHistoryStore(db);
    const { v, status } = again.query('errors', { from: 0, to: 99_999, stepMs: 1000 });
    expect(v).toEqual(round.map((r) => r.value));
    expect(status).toEqual(round.map((r) => r.status));
    const migrations = db.prepare('SELECT part, version FROM schema_migrations').all();
    expect(migrations).toEqual([{ part: 'history', version: 1 }]);
  });

  it('records a large round in one transaction (prints readings/s)', () => {
    const h = new KpiHistoryStore(db);
    const n = 50_000;
    const rows = Array.from({ length: n }, (_, i) =>
      reading(1_700_000_000_000 + Math.floor(i / 50) * 15_000, i, 'ok', `agency="A${i % 50}"`),
    );
    const started = performance.now();
    h.record(rows);
    const seconds = (performance.now() - started) / 1000;
    console.info(`history insert: ${Math.round(n / seconds)} readings/s (${n} in one round)`);
    expect(h.groups('errors')).toHaveLength(50);
  });
});
