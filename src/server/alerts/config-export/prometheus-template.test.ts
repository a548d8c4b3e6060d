import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/index.js';
import { toPrometheusTemplate } from './prometheus-template.js';

const [kpi] = parsePolicy(
  `kpis:
  - id: errors
    title: "Errors {{x}}"
    query: vector(0)
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
`,
  'p.yaml',
).kpis;

describe('templates for Prometheus', () => {
  it('keeps $value and $labels, writes in the KPI title and threshold, quotes stray braces', () => {
    expect(
      toPrometheusTemplate(
        '{{ $kpi }}: {{ $value }} ≥ {{ $threshold }} ({{ $labels.agency }}), {{$budget_remaining}} left',
        {
          kpi,
          threshold: 0.03,
        },
      ),
    ).toBe(
      'Errors {{ "{{" }}x}}: {{ $value | humanizePercentage }} ≥ 3 % ({{ $labels.agency }}), n/a left',
    );
  });

  it('prints a query rule value plainly, a burn rate as a speed, to four digits as kpi-lights does', () => {
    expect(toPrometheusTemplate('at {{ $value }}', { kpi: undefined, threshold: undefined })).toBe(
      'at {{ printf "%.4g" $value }}',
    );
    expect(toPrometheusTemplate('{{ $value }}', { kpi, threshold: undefined, unit: 'burn' })).toBe(
      '{{ printf "%.4g" $value }}×',
    );
  });
});
