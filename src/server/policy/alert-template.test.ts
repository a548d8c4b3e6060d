/** The alert template: fields filled, unknown ones refused at load, values never read as templates. */
import { describe, expect, it } from 'vitest';
import { emailMessage } from '../alerts/channels/email-message.js';
import type { Notification } from '../alerts/notification.js';
import { expandTemplate, templateProblem } from './alert-template.js';

const data = {
  value: '5 %',
  labels: { agency: 'IRS' },
  kpi: 'E-file',
  threshold: '3 %',
  budgetRemaining: '42 %',
};

describe('alert template', () => {
  it('fills every field; a missing label is empty', () => {
    expect(
      expandTemplate(
        '{{$kpi}} {{ $value }}/{{ $threshold }} {{ $labels.agency }}{{ $labels.none }} {{ $budget_remaining }}',
        data,
      ),
    ).toBe('E-file 5 %/3 % IRS 42 %');
  });

  it('refuses anything else, so nothing runs', () => {
    expect(templateProblem('{{ .Value }}')).toMatch(/unknown template field/);
    expect(templateProblem('{{ $labels.agency | toUpper }}')).toMatch(/unknown template field/);
    expect(templateProblem('{{ $value }')).toBe('unbalanced "{{" or "}}"');
    expect(templateProblem('plain {{ $value }}')).toBeUndefined();
  });

  it('a label value holding a template or HTML stays text', () => {
    const hostile = { ...data, labels: { agency: '{{ $value }}<script>alert(1)</script>' } };
    const summary = expandTemplate('for {{ $labels.agency }}', hostile);
    expect(summary).toBe('for {{ $value }}<script>alert(1)</script>');
    const alert = {
      id: 'x',
      name: 'A',
      state: 'firing' as const,
      severity: 'critical',
      labels: hostile.labels,
      summary,
      runbook: 'javascript:alert(1)',
      activeAt: '2026-04-15T12:00:00.000Z',
      policyVersion: 2,
      valueText: '5 %',
    };
    const n: Notification = {
      dedupKey: 'k',
      receiver: 'r',
      groupKey: '{}',
      groupLabels: {},
      status: 'firing',
      firing: [alert],
      resolved: [],
      createdAt: 0,
      externalUrl: undefined,
      policyVersion: 2,
      endsAt: 0,
    };
    const { html, text } = emailMessage([n]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(text).toContain('Policy version: 2');
  });
});
