/** Alert rules, the route and receivers in the policy: normalised with defaults, mistakes placed at file:line:col. */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './load-policy.js';
import { PolicyError } from './policy-error.js';

const HEAD = `kpis:
  - id: errors
    title: Errors
    query: rate(errors_total[1m])
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
    objective: 0.99
    by: [agency]
  - id: latency
    title: Latency
    query: rate(latency_total[1m])
    unit: seconds
    thresholds: { warning: 1, critical: 2 }
`;

function problems(text: string, env: Record<string, string> = {}): string[] {
  try {
    parsePolicy(text, 'p.yaml', { checkQuery: null, env });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).message.split('\n').slice(1);
  }
  throw new Error('accepted');
}

describe('alert rules in the policy', () => {
  it('normalises KPI, burn-rate and query rules with their defaults', () => {
    const p = parsePolicy(
      `${HEAD}alerts:
  - name: ErrorsHigh
    kpi: errors
    for: 1m
    keep_firing_for: 5m
    no_data: alert
    labels: { team: efile }
    summary: "{{ $kpi }} at {{ $value }} for {{ $labels.agency }}"
    notify: [oncall]
  - name: ErrorsBudget
    kpi: errors
    burn_rate: page
    notify: [oncall]
  - name: TargetDown
    query: up == 0
route: { group_by: [alertname, agency], group_wait: 10s, external_url: "https://kpi.example.gov/" }
receivers:
  oncall:
    email: { to: a@example.gov, from: b@example.gov, smtp: "smtp://127.0.0.1:25", starttls: required, username: bot, password_env: SMTP_PASSWORD }
    webhook: { url: "http://127.0.0.1:9/hook", secret_env: HOOK_SECRET }
    rate_limit: { max: 5, per: 1h }
    repeat_interval: 1h
`,
      'p.yaml',
      { checkQuery: null, env: { SMTP_PASSWORD: 'pw', HOOK_SECRET: 's3cret' } },
    );
    expect(p.alerts[0]).toEqual({
      name: 'ErrorsHigh',
      condition: { kind: 'kpi', kpi: 'errors', when: 'critical' },
      forMs: 60_000,
      keepFiringForMs: 300_000,
      noData: 'alert',
      severity: 'critical',
      labels: { team: 'efile' },
      summary: '{{ $kpi }} at {{ $value }} for {{ $labels.agency }}',
      description: undefined,
      runbook: undefined,
      notify: ['oncall'],
    });
    expect(p.alerts[1]).toMatchObject({
      condition: { kind: 'burn-rate', kpi: 'errors', speed: 'page' },
      severity: 'critical',
      noData: 'hold',
    });
    expect(p.alerts[2]).toMatchObject({ condition: { kind: 'query' }, severity: 'warning' });
    expect(p.route).toEqual({
      groupBy: ['alertname', 'agency'],
      groupWaitMs: 10_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      externalUrl: 'https://kpi.example.gov/',
    });
    const r = p.receivers[0];
    expect(r.email).toMatchObject({ starttls: 'required', username: 'bot', password: 'pw' });
    expect(r.webhook?.secret).toBe('s3cret');
    expect(r.rateLimit).toEqual({ max: 5, perMs: 3_600_000 });
    expect(r.timing).toMatchObject({ groupWaitMs: 10_000, repeatIntervalMs: 3_600_000 });
  });

  it('refuses unknown template fields, burn rates without objective and unset secrets', () => {
    expect(
      problems(`${HEAD}alerts:
  - name: A
    kpi: latency
    burn_rate: ticket
    summary: "{{ .Value }}"
  - name: B
    kpi: errors
    labels: { severity: x }
    no_data: maybe
receivers:
  r:
    webhook: { url: "http://127.0.0.1:9/", secret_env: NOPE }
`),
    ).toEqual([
      'p.yaml:17:16 alerts[0].burn_rate: KPI "latency" has no objective to burn',
      'p.yaml:18:14 alerts[0].summary: unknown template field "{{ .Value }}"; use {{ $value }}, {{ $labels.NAME }}, {{ $kpi }}, {{ $threshold }} or {{ $budget_remaining }}',
      'p.yaml:22:14 alerts[1].no_data: expected one of hold, ok, alert, got "maybe"',
      'p.yaml:25:56 receivers.r.webhook.secret_env: environment variable NOPE is not set',
    ]);
  });
});
