/** Policy loading: exact messages for each kind of mistake, and a full policy normalised. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicy } from './load-policy.js';
import { PolicyError } from './policy-error.js';
import type { QueryCheck } from './semantic-checks.js';

const FIXTURES = new URL('../../../test/fixtures/policies/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** Stands in for the PromQL parser: blames `job=}` and a dangling `+`, as the parser would. */
const fakeCheck: QueryCheck = (q) => {
  const brace = q.indexOf('job=}');
  if (brace >= 0) return { message: 'unexpected "}"', offset: brace + 4 };
  if (q.endsWith('+')) return { message: 'unexpected end of input', offset: q.length - 1 };
  return undefined;
};

/** The problem lines a fixture produces. */
function problems(name: string, env: Record<string, string> = {}): string[] {
  try {
    parsePolicy(fixture(name), name, { checkQuery: fakeCheck, env });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).message.split('\n').slice(1);
  }
  throw new Error(`${name} was accepted`);
}

describe('parsePolicy refuses mistakes with file:line:col, field and reason', () => {
  it('a percentage written as text', () => {
    expect(problems('bad-percent.yaml')).toEqual([
      'bad-percent.yaml:14:16 kpis[1].thresholds.warning: expected a number, got "1%" (write 1% as 0.01)',
      'bad-percent.yaml:15:17 kpis[1].thresholds.critical: expected a number, got "3%" (write 3% as 0.03)',
    ]);
  });

  it('misspelt keys, with a suggestion', () => {
    expect(problems('bad-unknown-key.yaml')).toEqual([
      'bad-unknown-key.yaml:6:5 kpis[0].treshold: unknown field "treshold" (did you mean "thresholds"?)',
      'bad-unknown-key.yaml:8:5 kpis[0].dirction: unknown field "dirction" (did you mean "direction"?)',
      'bad-unknown-key.yaml:9:1 evaluaton: unknown section "evaluaton" (did you mean "evaluation"?)',
    ]);
  });

  it('bad durations, naming the text', () => {
    expect(problems('bad-duration.yaml')).toEqual([
      'bad-duration.yaml:2:13 scrape.interval: invalid duration "15 seconds": expected <number><unit> with unit one of ms, s, m, h, d, w, y',
      'bad-duration.yaml:5:13 evaluation.interval: invalid duration "1m30": expected <number><unit> with unit one of ms, s, m, h, d, w, y',
      'bad-duration.yaml:7:14 history.retention: expected a duration like 15s or 1h30m, got 30',
    ]);
  });

  it('bad URLs', () => {
    expect(problems('bad-url.yaml')).toEqual([
      'bad-url.yaml:2:10 targets[0].url: "127.0.0.1:8101/metrics" is not a URL',
      'bad-url.yaml:3:10 targets[1].url: "ftp://127.0.0.1/metrics" must use http: or https:',
      'bad-url.yaml:6:21 receivers.chat.webhook.url: invalid URL "http://"',
    ]);
  });

  it('duplicate KPI ids, pointing back at the first', () => {
    expect(problems('bad-duplicate-ids.yaml')).toEqual([
      'bad-duplicate-ids.yaml:12:9 kpis[2].id: duplicate id "latency" (first at line 2)',
    ]);
  });

  it('alert references: an unknown KPI, an unknown receiver', () => {
    expect(problems('bad-alert-refs.yaml')).toEqual([
      'bad-alert-refs.yaml:9:10 alerts[0].kpi: no KPI has id "latncy"',
      'bad-alert-refs.yaml:12:22 alerts[0].notify[1]: no receiver is named "pager"',
    ]);
  });

  it('YAML syntax errors', () => {
    // Inline, not a fixture: the linter would refuse a broken YAML file in the tree.
    const text = [
      'kpis:',
      '  - id: latency',
      '    title: Latency',
      '    query: avg(latency_seconds',
      '    unit: seconds',
      '   thresholds: { warning: 0.5, critical: 1 }',
      '',
    ].join('\n');
    expect(() => parsePolicy(text, 'syntax.yaml')).toThrow(
      'syntax.yaml:6:1 YAML syntax: Sequence item without - indicator',
    );
  });

  it('bad PromQL, at the character the parser blames, in folded and quoted text', () => {
    expect(problems('bad-promql.yaml')).toEqual([
      'bad-promql.yaml:6:39 kpis[0].query: invalid PromQL: unexpected end of input',
      'bad-promql.yaml:11:37 kpis[1].query: invalid PromQL: unexpected "}"',
    ]);
  });

  it("bad PromQL with the default check, the engine's parser", () => {
    expect(() => parsePolicy(fixture('bad-promql.yaml'), 'bad-promql.yaml')).toThrow(
      [
        'bad-promql.yaml:6:39 kpis[0].query: invalid PromQL: unexpected end of input',
        'bad-promql.yaml:11:37 kpis[1].query: invalid PromQL: unexpected "}"',
      ].join('\n'),
    );
  });

  it('type errors and queries the engine cannot run, at the character it blames', () => {
    expect(() => parsePolicy(fixture('bad-query-types.yaml'), 'bad-query-types.yaml')).toThrow(
      [
        'policy bad-query-types.yaml has 3 problems:',
        'bad-query-types.yaml:5:21 kpis[0].query: PromQL type error: expected type range vector in call to function "rate", got instant vector',
        'bad-query-types.yaml:10:13 kpis[1].query: the embedded PromQL engine cannot run this query: not supported: histogram_count',
        'bad-query-types.yaml:15:12 kpis[2].query: PromQL type error: a KPI query must give an instant vector or a scalar, got range vector',
      ].join('\n'),
    );
  });

  it('wrong types, empty text and broken items, all at once', () => {
    expect(problems('bad-types.yaml')).toEqual([
      'bad-types.yaml:2:30 scrape.limits.body_size_limit: expected a size like 10MB or a whole number of bytes, got "lots"',
      'bad-types.yaml:2:50 scrape.limits.sample_limit: must not be negative',
      'bad-types.yaml:4:3 targets: expected a list, got a mapping',
      'bad-types.yaml:7:12 kpis[0].title: must not be empty',
      'bad-types.yaml:9:11 kpis[0].unit: expected one of percent, ratio, seconds, milliseconds, count, per_second, bytes, got "percnt" (did you mean "percent"?)',
      'bad-types.yaml:10:17 kpis[0].thresholds.critical: is required',
      'bad-types.yaml:11:5 kpis[1]: expected a mapping, got "just a string"',
      'bad-types.yaml:15:11 alerts[0].when: expected one of warning, critical, got "red"',
      'bad-types.yaml:17:13 alerts[0].notify: expected a list, got "oncall"',
    ]);
  });

  it('cross-field rules: order, timing, labels, tokens, origins', () => {
    expect(problems('bad-semantics.yaml')).toEqual([
      'bad-semantics.yaml:1:35 scrape.timeout: must not be longer than the interval (10s)',
      'bad-semantics.yaml:4:25 targets[0].labels.__secret: label names starting with __ are reserved',
      `bad-semantics.yaml:4:33 targets[0].labels.job: "job" is reserved: set it with the target's job field instead`,
      'bad-semantics.yaml:4:44 targets[0].labels["1bad"]: is not a valid label name: letters, digits and _, not starting with a digit',
      'bad-semantics.yaml:5:15 targets[0].interval: timeout 15s is longer than interval 5s',
      'bad-semantics.yaml:12:16 kpis[0].objective: must be between 0 and 1, e.g. 0.99',
      'bad-semantics.yaml:18:17 kpis[1].thresholds: with direction higher-is-worse, warning (10) must be <= critical (1); for an availability-style KPI set direction: lower-is-worse',
      'bad-semantics.yaml:19:18 kpis[1].by[1]: label "agency" is listed twice',
      'bad-semantics.yaml:21:5 alerts[0]: needs exactly one of "kpi" and "query"',
      'bad-semantics.yaml:27:11 alerts[1].when: "when" is for KPI alerts; a query alert fires while its query returns any series',
      'bad-semantics.yaml:30:11 receivers.nobody: needs "email", "webhook" or "alertmanager"',
      'bad-semantics.yaml:34:29 auth.tokens[0].token: tokens must be at least 16 characters',
      'bad-semantics.yaml:35:35 auth.tokens[1].token_env: environment variable KPI_LIGHTS_MISSING_TOKEN is not set',
      'bad-semantics.yaml:37:13 cors.origins[0]: expected an origin like https://intranet.example.gov or *, got "https://intranet.example.gov/path"',
    ]);
  });

  it('carries the issues as data and counts them in the first line', () => {
    try {
      parsePolicy('kpis: 3\nhistory: { retention: 0s }\n', 'p.yaml');
      expect.unreachable();
    } catch (err) {
      const e = err as PolicyError;
      expect(e.message.split('\n')[0]).toBe('policy p.yaml has 2 problems:');
      expect(e.issues).toEqual([
        { file: 'p.yaml', line: 1, column: 7, path: 'kpis', message: 'expected a list, got 3' },
        {
          file: 'p.yaml',
          line: 2,
          column: 23,
          path: 'history.retention',
          message: 'must be more than 0',
        },
      ]);
    }
  });

  it('an empty file', () => {
    expect(() => parsePolicy('# nothing yet\n', 'e.yaml')).toThrow(
      'e.yaml:1:1 the policy is empty',
    );
  });
});

describe('parsePolicy accepts good policies', () => {
  it('normalises every section of a full policy', () => {
    const p = parsePolicy(fixture('good-full.yaml'), 'good-full.yaml', {
      env: { KPI_LIGHTS_DEPLOY_TOKEN: 'deploy-token-0123456789' },
    });
    expect(p.scrape).toEqual({
      intervalMs: 30_000,
      timeoutMs: 10_000,
      limits: {
        bodySizeLimit: 5 * 1024 * 1024,
        sampleLimit: 20_000,
        seriesLimit: 100_000,
        labelLimit: 30,
        labelNameLengthLimit: 100,
        labelValueLengthLimit: 500,
      },
    });
    expect(p.targets).toEqual([
      {
        url: 'http://127.0.0.1:8101/metrics',
        job: 'efile-submit',
        labels: { service: 'efile-submit', agency: 'IRS', env: 'prod' },
        intervalMs: 30_000,
        timeoutMs: 10_000,
      },
      {
        url: 'https://127.0.0.1:8443/metrics',
        job: 'status',
        labels: { agency: 'SSA' },
        intervalMs: 60_000,
        timeoutMs: 20_000,
      },
    ]);
    expect(p.kpis[0]).toMatchObject({
      id: 'error-rate',
      direction: 'higher-is-worse',
      budgetWindowMs: 30 * 86_400_000,
      by: ['agency'],
      objective: undefined,
    });
    expect(p.kpis[0].query).toBe(
      'sum by (agency) (rate(http_requests_total{status=~"5.."}[1m])) / sum by (agency) (rate(http_requests_total[1m]))',
    );
    expect(p.kpis[1]).toMatchObject({
      direction: 'lower-is-worse',
      objective: 0.999,
      budgetWindowMs: 28 * 86_400_000,
      thresholds: { warning: 0.9995, critical: 0.999 },
    });
    expect(p.alerts.map((a) => [a.condition, a.forMs, a.notify])).toEqual([
      [{ kind: 'kpi', kpi: 'error-rate', when: 'warning' }, 5_400_000, ['oncall', 'chat']],
      [{ kind: 'query', query: 'up == 0' }, 300_000, []],
    ]);
    const timing = {
      groupBy: ['alertname'],
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
    };
    expect(p.receivers).toEqual([
      {
        name: 'oncall',
        email: {
          to: ['oncall@example.gov', 'lead@example.gov'],
          from: 'kpi-lights@example.gov',
          smtp: 'smtps://user:pass@127.0.0.1:465',
          starttls: 'opportunistic',
          username: undefined,
          password: undefined,
        },
        webhook: undefined,
        alertmanager: undefined,
        rateLimit: undefined,
        timing,
      },
      {
        name: 'chat',
        email: undefined,
        webhook: {
          url: 'http://127.0.0.1:9099/hook',
          headers: { 'X-Team': 'efile' },
          secret: undefined,
        },
        alertmanager: undefined,
        rateLimit: undefined,
        timing,
      },
    ]);
    expect(p.alerts[0]).toMatchObject({ noData: 'hold', keepFiringForMs: 0, labels: {} });
    expect(p.auth).toEqual({
      read: 'token',
      tokens: [
        { name: 'dashboard', token: 'read-only-token-0123456789', scopes: ['read'] },
        { name: 'deploy', token: 'deploy-token-0123456789', scopes: ['read', 'write'] },
      ],
    });
    expect(p.cors.origins).toEqual(['https://intranet.example.gov', 'http://127.0.0.1:5173']);
    expect(p.evaluation.intervalMs).toBe(30_000);
    expect(p.history.retentionMs).toBe(90 * 86_400_000);
  });

  it('applies defaults to a minimal policy', () => {
    const p = parsePolicy('targets:\n  - url: http://127.0.0.1:9/metrics\n', 'min.yaml');
    expect(p.scrape.intervalMs).toBe(15_000);
    expect(p.scrape.timeoutMs).toBe(10_000);
    expect(p.targets[0]).toMatchObject({
      job: 'kpi-lights',
      intervalMs: 15_000,
      timeoutMs: 10_000,
    });
    expect(p.auth).toEqual({ read: 'public', tokens: [] });
    expect(p.evaluation.intervalMs).toBe(15_000);
    expect(p.history.retentionMs).toBe(35 * 86_400_000);
  });

  it('caps the default timeout at a short interval', () => {
    const p = parsePolicy('scrape: { interval: 5s }\n', 'short.yaml');
    expect(p.scrape.timeoutMs).toBe(5_000);
  });

  it('validates the demo policy', () => {
    const { policy } = loadPolicyFile(
      new URL('../../../demo/kpi-lights.yaml', import.meta.url).pathname,
    );
    expect(policy.targets.map((t) => t.labels.service)).toEqual(['efile', 'status', 'intake']);
    expect(policy.kpis.map((k) => k.id)).toEqual([
      'efile-error-rate',
      'efile-latency',
      'efile-fast-filings',
      'efile-answered-under-2s',
      'efile-intake-error-rate',
      'efile-intake-latency',
    ]);
    // The story's page: above 3 % for 3 consecutive minutes.
    expect(policy.alerts[0]).toMatchObject({ name: 'EFileErrorRateHigh', forMs: 180_000 });
  });
});

describe('loadPolicyFile', () => {
  it('names the file as given and returns the exact text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-policy-'));
    try {
      const file = join(dir, 'kpi-lights.yaml');
      writeFileSync(file, 'kpis: []\n');
      expect(loadPolicyFile(file).text).toBe('kpis: []\n');
      writeFileSync(file, 'kpis: [1]\n');
      expect(() => loadPolicyFile(file)).toThrow(`${file}:1:8 kpis[0]: expected a mapping, got 1`);
      expect(() => loadPolicyFile(join(dir, 'missing.yaml'))).toThrow(
        /missing\.yaml:1:1 cannot read/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
