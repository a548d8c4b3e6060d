/** Secrets in a policy found through YAML aliases and merge keys, hidden where written, and refused where an anchor shares them with a field readers see. */
import { describe, expect, it } from 'vitest';
import type { PolicyIssue } from '../../sdk/types.js';
import { parsePolicy } from './load-policy.js';
import { PolicyError } from './policy-error.js';
import { redactPolicy } from './redact-policy.js';

const TOKEN = 'abcdefghijklmnop0123';

function issuesOf(text: string): PolicyIssue[] {
  try {
    parsePolicy(text, 'p.yaml', { checkQuery: null });
  } catch (err) {
    if (err instanceof PolicyError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('redacting through aliases and merge keys', () => {
  it('hides a token given by an alias where its anchor is written', () => {
    const text = `auth:
  tokens:
    - { name: a, token: &shared ${TOKEN}, scopes: [read] }
    - { name: b, token: *shared, scopes: [write] }
`;
    const shown = redactPolicy(text);
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('token: &shared "<redacted>"');
    expect(shown).toContain('token: *shared');
  });

  it('hides a token that comes from a merge key (YAML 1.1)', () => {
    const text = `%YAML 1.1
---
auth:
  tokens:
    - &base { name: a, token: ${TOKEN}, scopes: [read] }
    - <<: *base
      name: b
`;
    expect(redactPolicy(text)).not.toContain(TOKEN);
  });

  it('hides webhook headers shared by an alias, and a target URL token', () => {
    const text = `targets:
  - url: http://127.0.0.1:9/metrics?auth_token=${TOKEN}
receivers:
  a: { webhook: { url: "http://h/x", headers: &h { X-Api-Key: ${TOKEN} } } }
  b: { webhook: { url: "http://h/y", headers: *h } }
`;
    const shown = redactPolicy(text);
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('url: "http://127.0.0.1:9/metrics?auth_token=<redacted>"');
    expect(shown.split('\n')).toHaveLength(text.split('\n').length);
  });

  it('hides a whole text too tangled in merges to walk', () => {
    const lines = ['%YAML 1.1', '---', 'm0: &m0 { token: x }'];
    for (let i = 1; i < 40; i++) lines.push(`m${i}: &m${i} { <<: [*m${i - 1}, *m${i - 1}] }`);
    lines.push(`auth: { tokens: [ { <<: *m39, name: a } ] }`);
    expect(redactPolicy(`${lines.join('\n')}\n`)).toBe('<redacted>');
  });
});

describe('secrets shared through an anchor with a field readers see', () => {
  const kpi = (description: string) => `kpis:
  - id: up
    title: Up
    description: ${description}
    query: up
    unit: ratio
    thresholds: { warning: 0.9, critical: 0.5 }
    direction: lower-is-worse
`;

  it('refuses a token anchored in a KPI description', () => {
    const text = `${kpi(`&t ${TOKEN}`)}auth:\n  tokens:\n    - { name: a, token: *t, scopes: [read] }\n`;
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([[4, 'kpis[0].description']]);
    expect(issues[0].message).toContain('the secret auth.tokens[0].token');
  });

  it('refuses an alias of a token in a KPI description', () => {
    const text = `auth:\n  tokens:\n    - { name: a, token: &t ${TOKEN}, scopes: [read] }\n${kpi('*t')}`;
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([[7, 'kpis[0].description']]);
    expect(issues[0].message).toContain('repeats the secret auth.tokens[0].token');
  });

  it('refuses labels merged into a token item', () => {
    const text = `%YAML 1.1
---
targets:
  - url: http://127.0.0.1:9/metrics
    labels: &l { token: ${TOKEN} }
auth:
  tokens:
    - <<: *l
      name: a
      scopes: [read]
`;
    expect(issuesOf(text).map((i) => [i.line, i.path])).toEqual([[5, 'targets[0].labels.token']]);
  });

  it('refuses a URL with a token in a label readers see', () => {
    const text = `targets:\n  - url: http://127.0.0.1:9/metrics\n    labels: { dashboard: "https://grafana.example/d/x?auth_token=${TOKEN}" }\n`;
    expect(issuesOf(text).map((i) => [i.line, i.path])).toEqual([
      [3, 'targets[0].labels.dashboard'],
    ]);
  });

  it('accepts a secret shared between two secret fields', () => {
    const text = `receivers:
  a: { webhook: { url: "http://h/x", headers: &h { X-Api-Key: ${TOKEN} } } }
  b: { webhook: { url: "http://h/y", headers: *h } }
`;
    expect(issuesOf(text)).toEqual([]);
  });
});

describe('URLs the policy refuses', () => {
  it.each([
    [
      'credentials in the source URL',
      `source: { prometheus: { url: "http://ops:PW0123456789@127.0.0.1:9090" } }\nkpis: []\n`,
      'source.prometheus.url',
      'must not carry credentials; send them as a header',
    ],
    [
      'a token in the source URL',
      `source: { prometheus: { url: "http://127.0.0.1:9090/?auth_token=${TOKEN}" } }\nkpis: []\n`,
      'source.prometheus.url',
      'must not carry a secret in its query ("auth_token"); send it as a header instead',
    ],
    [
      'credentials in a webhook URL',
      `receivers:\n  a: { webhook: { url: "http://u:PW0123456789@h/x" } }\n`,
      'receivers.a.webhook.url',
      'must not carry credentials',
    ],
    [
      'credentials in an Alertmanager URL',
      `receivers:\n  a: { alertmanager: { url: "http://u:PW0123456789@h:9093" } }\n`,
      'receivers.a.alertmanager.url',
      'must not carry credentials',
    ],
    [
      'a token in a runbook link',
      `${'kpis:\n  - { id: up, title: Up, query: up, unit: ratio, thresholds: { warning: 1, critical: 2 }, '}runbook: "https://wiki/x?token=${TOKEN}" }\n`,
      'kpis[0].runbook',
      'a URL here carries a secret (user info, or a token-like query parameter), and every reader sees this field',
    ],
  ])('%s', (_what, text, path, message) => {
    const issues = issuesOf(text);
    expect(issues.map((i) => i.path)).toContain(path);
    const issue = issues.find((i) => i.path === path)!;
    expect(issue.message).toContain(message);
    expect(JSON.stringify(issues)).not.toContain('PW0123456789');
    expect(JSON.stringify(issues)).not.toContain(TOKEN);
  });
});
