/** The chart in words: latest value, range and time in each band, for those who cannot see it. */
import type { KpiStatus, KpiUnit } from '../../sdk/types.js';
import { formatSpan } from '../reading/format-span.js';
import { formatValue } from '../reading/format-value.js';
import { STATUS_LOOK } from '../reading/status-look.js';
import type { ChartData, ChartLine } from './chart-data.js';

/** How long a line spent in each status, ms. */
export type TimeInBands = Record<KpiStatus, number>;

/**
 * Time in each band: each point stands until the next one, the last for one step.
 *
 * @example
 * ```ts
 * timeInBands(data.t, line.status, data.step).critical; // ms spent critical
 * ```
 */
export function timeInBands(
  t: readonly number[],
  status: readonly KpiStatus[],
  step: number,
): TimeInBands {
  const spent: TimeInBands = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  // Runs of one status add up at once: 10 000 points are a few dozen runs.
  let from = 0;
  for (let i = 1; i <= t.length; i++) {
    if (i < t.length && status[i] === status[from]) continue;
    const end = i < t.length ? t[i] : t[i - 1] + step;
    spent[status[from]] += end - t[from];
    from = i;
  }
  return spent;
}

/**
 * One sentence per line: "E-file latency: latest 0.42 s (OK); from 0.1 s to 2.3 s; OK 50
 * minutes, warning 8 minutes, critical 2 minutes, unknown 0 minutes."
 *
 * @example
 * ```ts
 * summarizeLine(data, data.lines[0], 'seconds', 'en');
 * ```
 */
export function summarizeLine(
  data: ChartData,
  line: ChartLine,
  unit: KpiUnit,
  locale: string,
): string {
  let latest = -1;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  // A plain loop: this runs once per draw over every point, often before the JIT warms up.
  for (let i = 0; i < line.v.length; i++) {
    const v = line.v[i];
    if (v === null || !Number.isFinite(v)) continue;
    latest = i;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (latest === -1) return `${line.label}: no data in this range.`;
  const latestText = `latest ${formatValue(line.v[latest], unit, locale)} (${STATUS_LOOK[line.status[latest]].word})`;
  const rangeText = `from ${formatValue(min, unit, locale)} to ${formatValue(max, unit, locale)}`;
  const spent = timeInBands(data.t, line.status, data.step);
  const bands = (['ok', 'warning', 'critical', 'unknown'] as const)
    .map((s) => `${STATUS_LOOK[s].word} ${formatSpan(spent[s], locale)}`)
    .join(', ');
  return `${line.label}: ${latestText}; ${rangeText}; time in each band: ${bands}.`;
}
