/** The chart's columns: histories as the server sent them, lined up on one time axis, plus live readings. */
import type { KpiHistory, KpiReading, KpiStatus } from '../../sdk/types.js';
import { keyOfGroup } from '../reading/select-group.js';

/** One line of the chart: the whole KPI, or one group of it. */
export interface ChartLine {
  /** What the line is called: the KPI's title, or the group's label values. */
  readonly label: string;
  /** The group key (`agency="IRS"`), absent for the whole KPI. */
  readonly group?: string;
  readonly v: readonly (number | null)[];
  readonly status: readonly KpiStatus[];
}

/** Columnar data, as uPlot draws it: `t` shared by every line. */
export interface ChartData {
  /** Times, ms since the epoch, ascending. */
  readonly t: readonly number[];
  readonly lines: ChartLine[];
  /** The server's bucket width, ms: how long the last point stands for. */
  readonly step: number;
}

/**
 * Lines up histories on one time axis. Buckets of one query share their times, so this usually
 * takes the columns as sent; where they differ, a line gets `null` at times it lacks. No value
 * is changed or merged: the chart draws what the server sent. The histories' arrays may be
 * shared with the result, which nothing writes to.
 *
 * @example
 * ```ts
 * const data = alignHistories([{ label: 'E-file latency', history }]);
 * ```
 */
export function alignHistories(
  parts: readonly { readonly label: string; readonly history: KpiHistory }[],
): ChartData {
  const first = parts[0]?.history.t ?? [];
  // The usual case, one query's buckets: the times are shared, and the lines are the columns
  // as sent, not copied (a live reading makes new arrays). Only differing times need the merge
  // below (10 000 points: a few ms saved).
  if (parts.every((p) => sameTimes(p.history.t, first))) {
    return {
      t: first,
      lines: parts.map(({ label, history }) => ({
        label,
        ...(history.group !== undefined && { group: history.group }),
        v: history.v,
        status: history.status,
      })),
      step: parts[0]?.history.step ?? 60_000,
    };
  }
  const times = [...new Set(parts.flatMap((p) => p.history.t))].sort((a, b) => a - b);
  const lines = parts.map(({ label, history }): ChartLine => {
    const at = new Map(history.t.map((time, i) => [time, i]));
    const v = times.map((time) => {
      const i = at.get(time);
      return i === undefined ? null : history.v[i];
    });
    const status = times.map((time): KpiStatus => {
      const i = at.get(time);
      return i === undefined ? 'unknown' : history.status[i];
    });
    return { label, ...(history.group !== undefined && { group: history.group }), v, status };
  });
  return { t: times, lines, step: parts[0]?.history.step ?? 60_000 };
}

function sameTimes(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Extends the chart with a live reading, and lets points older than `rangeMs` before it fall
 * off the left. A reading no newer than the last point is ignored (a repeat after reconnect).
 *
 * @example
 * ```ts
 * data = appendReading(data, reading, 3_600_000);
 * ```
 */
export function appendReading(data: ChartData, reading: KpiReading, rangeMs: number): ChartData {
  const time = Date.parse(reading.evaluatedAt);
  const last = data.t.at(-1);
  if (Number.isNaN(time) || (last !== undefined && time <= last)) return data;
  const first = data.t.findIndex((t) => t >= time - rangeMs);
  const keep = first === -1 ? data.t.length : first;
  const lines = data.lines.map((line): ChartLine => {
    const group =
      line.group === undefined
        ? undefined
        : reading.groups?.find((g) => keyOfGroup(g) === line.group);
    const value = line.group === undefined ? reading.value : (group?.value ?? null);
    const status = line.group === undefined ? reading.status : (group?.status ?? 'unknown');
    return {
      ...line,
      v: appended(line.v, keep, value),
      status: appended(line.status, keep, status),
    };
  });
  return { t: appended(data.t, keep, time), lines, step: data.step };
}

/** A new array: `list` from `keep` on, then `last`; one copy, as a 10 000-point line needs. */
function appended<T>(list: readonly T[], keep: number, last: T): T[] {
  const out = list.slice(keep);
  out.push(last);
  return out;
}
