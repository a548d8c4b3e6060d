/** The policy's `storage` section: retention and size, and windows longer than the retention refused. */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './load-policy.js';
import { PolicyError } from './policy-error.js';
import { refuseStorageChange } from './source-change.js';

const kpi = (query: string, extra = '') => `
kpis:
  - id: filings
    title: Filings on time
    query: ${query}
    unit: ratio
    direction: lower-is-worse
    objective: 0.99
    thresholds: { warning: 0.99, critical: 0.95 }${extra}
`;

const TICKET = `
alerts:
  - name: FilingsBudgetTicket
    kpi: filings
    burn_rate: ticket
`;

function issuesOf(text: string, storageRetentionMs?: number): string[] {
  try {
    parsePolicy(text, 'p.yaml', { storageRetentionMs });
  } catch (err) {
    if (err instanceof PolicyError) {
      return err.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
    }
    throw err;
  }
  return [];
}

describe('storage', () => {
  it('reads retention and max_bytes, and defaults to 15 days without a size limit', () => {
    const q = kpi('avg(rate(ok_total[5m]))');
    expect(
      parsePolicy(`storage: { retention: 30d, max_bytes: 10GiB }\n${q}`, 'p.yaml').storage,
    ).toEqual({
      retentionMs: 30 * 86_400_000,
      maxBytes: 10 * 2 ** 30,
    });
    expect(parsePolicy(q, 'p.yaml').storage).toEqual({ retentionMs: 15 * 86_400_000, maxBytes: 0 });
    // The command line wins.
    expect(
      parsePolicy(`storage: { retention: 30d }\n${q}`, 'p.yaml', { storageRetentionMs: 86_400_000 })
        .storage.retentionMs,
    ).toBe(86_400_000);
  });

  it('refuses a query that reads further back than the retention, where the query is', () => {
    expect(issuesOf(`storage: { retention: 7d }\n${kpi('avg_over_time(up[8d])')}`)).toEqual([
      'p.yaml:6:12 kpis[0].query: this query reads 1w1d of samples, more than storage.retention 1w keeps: raise the retention, or shorten the window',
    ]);
    expect(issuesOf(kpi('avg_over_time(up[20d])'))[0]).toContain(
      'more than the default storage retention, 2w1d keeps',
    );
  });

  it('refuses a ticket burn-rate alert (3 d and the KPI query) past the retention', () => {
    const text = `storage: { retention: 3d }\n${kpi('avg(rate(ok_total[5m]))')}${TICKET}`;
    expect(issuesOf(text)).toEqual([
      'p.yaml:15:16 alerts[0].burn_rate: this ticket burn-rate alert reads 3d5m of samples, more than storage.retention 3d keeps: raise the retention, or shorten the window',
    ]);
    expect(
      issuesOf(`storage: { retention: 4d }\n${kpi('avg(rate(ok_total[5m]))')}${TICKET}`),
    ).toEqual([]);
    // A shorter budget window scales the burn windows down with it.
    const week = kpi('avg(rate(ok_total[5m]))', '\n    budget_window: 7d');
    expect(issuesOf(`storage: { retention: 1d }\n${week}${TICKET}`)).toEqual([]);
  });

  it('names the command line when its retention is the one too short', () => {
    expect(issuesOf(kpi('avg_over_time(up[2d])'), 86_400_000)[0]).toContain(
      'more than --storage.retention 1d keeps',
    );
  });

  it('refuses a zero retention, and the section beside a Prometheus source', () => {
    expect(issuesOf(`storage: { retention: 0s }\n${kpi('up')}`)).toEqual([
      'p.yaml:1:23 storage.retention: must be more than 0',
    ]);
    const remote =
      'source: { prometheus: { url: "http://127.0.0.1:9090" } }\nstorage: { retention: 30d }\n';
    expect(issuesOf(remote + kpi('up'))).toEqual([
      'p.yaml:2:10 storage: Prometheus keeps the samples with source.prometheus: set its retention there',
    ]);
  });

  it('is read at start: a changed storage section is refused on reload', () => {
    const q = kpi('up');
    const running = parsePolicy(`storage: { retention: 30d }\n${q}`, 'p.yaml');
    expect(() =>
      refuseStorageChange(
        running,
        parsePolicy(`storage: { retention: 30d }\n${q}`, 'p.yaml'),
        'p.yaml',
      ),
    ).not.toThrow();
    expect(() => refuseStorageChange(running, parsePolicy(q, 'p.yaml'), 'p.yaml')).toThrow(
      /storage is read at start: restart the server to change it/,
    );
  });
});
