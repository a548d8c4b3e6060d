import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSampleStorage } from '../store/disk/sample-storage.js';
import { ImportError, importOpenMetrics } from './import-openmetrics.js';

const NOW = Date.UTC(2026, 11, 7);
const DAY = 86_400_000;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kpi-import-'));
  dirs.push(d);
  return d;
}

/** Three days of two counters and a gauge, a minute apart, family by family as OpenMetrics has it. */
function history(): string {
  const lines = ['# HELP filings Filings accepted.', '# TYPE filings counter'];
  const start = NOW - 3 * DAY;
  for (const agency of ['irs', 'ssa']) {
    for (let i = 0; i < 3 * 1440; i++) {
      const t = (start + i * 60_000) / 1000;
      lines.push(`filings_total{agency="${agency}"} ${i * (agency === 'irs' ? 3 : 5)} ${t}`);
    }
  }
  lines.push('# TYPE queue_depth gauge');
  for (let i = 0; i < 3 * 1440; i++) {
    lines.push(`queue_depth ${(i % 17) / 4} ${(start + i * 60_000) / 1000}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function read(dataDir: string, name: string, labels: Record<string, string> = {}) {
  const storage = openSampleStorage({
    dir: join(dataDir, 'samples'),
    now: () => NOW,
    log: () => {},
  });
  try {
    const matchers = [
      { name: '__name__', type: '=' as const, value: name },
      ...Object.entries(labels).map(([n, value]) => ({ name: n, type: '=' as const, value })),
    ];
    const [view] = storage.head.select(matchers);
    const run = storage.head.samples(view.ref, 0, Number.MAX_SAFE_INTEGER);
    return { t: Array.from(run.t), v: Array.from(run.v) };
  } finally {
    storage.close();
  }
}

describe('importOpenMetrics', () => {
  it('loads every sample, read a small piece at a time, and a restart finds them', () => {
    const dir = temp();
    const file = join(dir, 'history.om');
    writeFileSync(file, history());
    const report = importOpenMetrics(file, { dataDir: dir, now: () => NOW, pieceBytes: 4096 });
    expect(report).toMatchObject({ series: 3, samples: 3 * 3 * 1440, notAfterHeld: 0, tooOld: 0 });
    expect(report.firstMs).toBe(NOW - 3 * DAY);
    const ssa = read(dir, 'filings_total', { agency: 'ssa' });
    expect(ssa.t.length).toBe(3 * 1440);
    expect(ssa.v[100]).toBe(500);
    const gauge = read(dir, 'queue_depth');
    expect(gauge.v.slice(0, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('skips what the store already holds, and what is past the retention', () => {
    const dir = temp();
    const file = join(dir, 'history.om');
    writeFileSync(file, history());
    importOpenMetrics(file, { dataDir: dir, now: () => NOW });
    const again = importOpenMetrics(file, { dataDir: dir, now: () => NOW });
    expect(again.samples).toBe(0);
    expect(again.notAfterHeld).toBe(3 * 3 * 1440);
    const short = importOpenMetrics(file, { dataDir: temp(), now: () => NOW, retentionMs: DAY });
    expect(short.samples).toBe(3 * 1440);
    expect(short.tooOld).toBe(3 * 2 * 1440);
  });

  it('says where a file is wrong: its line, a missing timestamp, a missing # EOF', () => {
    const dir = temp();
    const bad = join(dir, 'bad.om');
    writeFileSync(bad, history().replace('queue_depth 0.25', 'queue_depth{ 0.25'));
    expect(() =>
      importOpenMetrics(bad, { dataDir: dir, now: () => NOW, pieceBytes: 4096 }),
    ).toThrow(new RegExp(`${bad}:8645:\\d+: `));
    writeFileSync(bad, 'up 1\n# EOF\n');
    expect(() => importOpenMetrics(bad, { dataDir: dir, now: () => NOW })).toThrow(
      /up has a sample without a timestamp/,
    );
    writeFileSync(bad, `up 1 ${NOW / 1000}\n`);
    expect(() => importOpenMetrics(bad, { dataDir: dir, now: () => NOW })).toThrow(ImportError);
    expect(() => importOpenMetrics(bad, { dataDir: dir, now: () => NOW })).toThrow(/# EOF/);
  });

  it('refuses a data folder a running server holds', () => {
    const dir = temp();
    const file = join(dir, 'history.om');
    writeFileSync(file, history());
    mkdirLock(dir);
    expect(() => importOpenMetrics(file, { dataDir: dir, now: () => NOW })).toThrow(
      /in use by process 1; stop it first/,
    );
  });
});

function mkdirLock(dir: string): void {
  const samples = join(dir, 'samples');
  rmSync(samples, { recursive: true, force: true });
  mkdirSync(samples, { recursive: true });
  writeFileSync(join(samples, 'lock'), '1\n');
}
