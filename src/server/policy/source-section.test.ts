/** The policy's `source` section: a Prometheus to ask, what it rules out, and its secrets hidden. */
import { describe, expect, it } from 'vitest';
import type { PolicyIssue } from '../../sdk/types.js';
import { parsePolicy } from './load-policy.js';
import { PolicyError } from './policy-error.js';
import { redactPolicy } from './redact-policy.js';

const KPI = `
kpis:
  - id: errors
    title: Errors
    query: sum(rate(http_requests_total[1m]))
    unit: ratio
    thresholds: { warning: 1, critical: 2 }
`;

const SOURCE = `source:
  prometheus:
    url: http://127.0.0.1:9090
    headers: { Authorization: Bearer abcdefghijklmnopqrstu, X-Scope-OrgID: irs }
    timeout: 5s
`;

function issuesOf(text: string): string[] {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyError)
      return err.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('source: prometheus', () => {
  it('reads url, headers and timeout; the default is the embedded engine', () => {
    expect(parsePolicy(SOURCE + KPI, 'p.yaml').source).toEqual({
      kind: 'prometheus',
      url: 'http://127.0.0.1:9090',
      headers: { Authorization: 'Bearer abcdefghijklmnopqrstu', 'X-Scope-OrgID': 'irs' },
      timeoutMs: 5_000,
      publicQueries: 'kpis-only',
    });
    expect(parsePolicy(KPI, 'p.yaml').source).toEqual({ kind: 'embedded' });
    expect(parsePolicy(KPI, 'p.yaml').history.from).toBe('database');
  });

  it('refuses targets and scrape settings beside it, and history from an embedded source', () => {
    const targets = `targets:\n  - url: http://127.0.0.1:8001/metrics\nscrape: { interval: 5s }\n`;
    expect(issuesOf(SOURCE + targets + KPI)).toEqual([
      "7:3 targets: scraping is off with source.prometheus: list the targets in Prometheus's scrape config, and remove them here",
      '8:9 scrape: scraping is off with source.prometheus: set scrape settings in Prometheus',
    ]);
    expect(issuesOf(`history: { from: source }\n${KPI}`)).toEqual([
      '1:18 history.from: history from the source needs source.prometheus: the embedded engine keeps history in its database',
    ]);
    expect(issuesOf(`source: { prometheus: { url: ftp://x } }\n${KPI}`)[0]).toContain(
      'source.prometheus.url: expected http or https URL',
    );
  });

  it('makes a query the embedded engine cannot run a warning, not an error', () => {
    const text = KPI.replace('sum(rate(http_requests_total[1m]))', 'info(up)');
    expect(issuesOf(text)[0]).toContain('the embedded PromQL engine cannot run this query');
    const warnings: PolicyIssue[] = [];
    parsePolicy(SOURCE + text, 'p.yaml', { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => [w.line, w.path])).toEqual([[10, 'kpis[0].query']]);
    expect(warnings[0].message).toContain('the Prometheus source runs it');
  });

  it('hides header values and a URL password when the policy is served', () => {
    const text = SOURCE.replace('http://127.0.0.1', 'http://ops:hunter2secret@127.0.0.1');
    const shown = redactPolicy(text);
    expect(shown).not.toContain('abcdefghijklmnopqrstu');
    expect(shown).not.toContain('hunter2secret');
    expect(shown).toContain('X-Scope-OrgID: "<redacted>"');
    expect(shown.split('\n').length).toBe(text.split('\n').length);
  });
});
