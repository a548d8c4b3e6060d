/** The chart's default view: a KPI's value over `range`, one line per group, with its threshold bands. */
import type { KpiReading } from '../../sdk/types.js';
import { formatSpan } from '../reading/format-span.js';
import { formatValue } from '../reading/format-value.js';
import { keyOfGroup, selectGroup } from '../reading/select-group.js';
import { STATUS_LOOK } from '../reading/status-look.js';
import { alignHistories, appendReading } from './chart-data.js';
import type { ChartView } from './chart-view.js';
import { summarizeLine } from './summarize-chart.js';

/** One line to fetch and draw. */
interface LineSpec {
  readonly label: string;
  readonly group?: string;
}

/** What the value view needs to know of its element. */
export interface ValueViewSetting {
  readonly kpi: string;
  readonly rangeMs: number;
  /** The `group` attribute: one group by label value or key; empty for every group. */
  readonly group: string;
  /** The page's clock, ms. */
  readonly now: () => number;
}

function linesOf(reading: KpiReading, only: string): LineSpec[] {
  if (only !== '') {
    const group = selectGroup(reading, only);
    return group === undefined
      ? [{ label: only, group: only }]
      : [{ label: Object.values(group.labels).join(', '), group: keyOfGroup(group) }];
  }
  if (reading.groups !== undefined && reading.groups.length > 0) {
    return reading.groups.map((g) => ({
      label: Object.values(g.labels).join(', '),
      group: keyOfGroup(g),
    }));
  }
  return [{ label: reading.title }];
}

/**
 * The KPI's history over the last `rangeMs`, as the server buckets it, extended live.
 *
 * @example
 * ```ts
 * const view = valueView({ kpi: 'efile-latency', rangeMs: 3_600_000, group: '', now: Date.now });
 * ```
 */
export function valueView(setting: ValueViewSetting): ChartView {
  const { kpi, rangeMs } = setting;
  return {
    key: (reading) =>
      [kpi, rangeMs, ...linesOf(reading, setting.group).map((l) => l.group ?? '')].join('\n'),
    async load(client, reading) {
      const lines = linesOf(reading, setting.group);
      const to = setting.now();
      const from = to - rangeMs;
      const histories = await Promise.all(
        lines.map((line) =>
          client.history(kpi, { from, to, ...(line.group !== undefined && { group: line.group }) }),
        ),
      );
      const data = alignHistories(
        lines.map((line, i) => ({ label: line.label, history: histories[i] })),
      );
      return appendReading(data, reading, rangeMs);
    },
    append: (data, reading) => appendReading(data, reading, rangeMs),
    scale: (reading) => reading,
    title: (reading, locale) => `${reading?.title ?? kpi}, last ${formatSpan(rangeMs, locale)}`,
    summary: (data, reading, locale) =>
      data.lines.map((l) => summarizeLine(data, l, reading.unit, locale)).join(' '),
    cell: (value, status, reading, locale) =>
      `${formatValue(value, reading.unit, locale)} (${STATUS_LOOK[status].word})`,
  };
}
