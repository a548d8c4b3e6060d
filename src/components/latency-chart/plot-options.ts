/** uPlot options for a KPI chart: time axis, value axis in the KPI's unit, threshold bands. */
import type uPlot from 'uplot';
import type { KpiReading } from '../../sdk/types.js';
import { formatValue } from '../reading/format-value.js';
import { dateTimeFormat } from '../reading/intl-formats.js';

/** Colours read from the element's resolved `--_kpi-*` properties at each draw, so dark mode and a page's `--kpi-*` follow. */
export interface PlotColours {
  readonly text: string;
  readonly grid: string;
  readonly warningBand: string;
  readonly criticalBand: string;
  readonly series: readonly string[];
}

/** What the options need to know about the KPI and the page. */
export interface PlotSetting {
  readonly reading: Pick<KpiReading, 'unit' | 'thresholds' | 'direction'>;
  readonly labels: readonly string[];
  readonly locale: string;
  readonly width: number;
  readonly height: number;
  /** Called at each draw: the element reads its custom properties. */
  readonly colours: () => PlotColours;
}

/**
 * Paints the warning and critical bands under the lines: from each threshold towards the worse
 * side of the axis.
 */
function drawBands(u: uPlot, setting: PlotSetting, colours: PlotColours): void {
  const { warning, critical } = setting.reading.thresholds;
  const { left, top, width, height } = u.bbox;
  const worseUp = setting.reading.direction !== 'lower-is-worse';
  const y = (v: number) => Math.min(top + height, Math.max(top, u.valToPos(v, 'y', true)));
  const band = (from: number, to: number, fill: string) => {
    const [a, b] = [y(from), y(to)].sort((p, q) => p - q);
    u.ctx.fillStyle = fill;
    u.ctx.fillRect(left, a, width, b - a);
  };
  const edge = worseUp ? top : top + height;
  u.ctx.save();
  band(warning, critical, colours.warningBand);
  const criticalY = y(critical);
  const [a, b] = [criticalY, edge].sort((p, q) => p - q);
  u.ctx.fillStyle = colours.criticalBand;
  u.ctx.fillRect(left, a, width, b - a);
  u.ctx.restore();
}

/** How far apart ticks are (ms) decides what a tick label says. */
function tickFormat(incr: number): Intl.DateTimeFormatOptions {
  if (incr < 60_000) return { timeStyle: 'medium' };
  if (incr < 86_400_000) return { timeStyle: 'short' };
  return { month: 'short', day: 'numeric' };
}

/**
 * Builds the options: no legend and no cursor (the summary and table speak for the chart),
 * lines that break at gaps, and a y range that always shows both thresholds.
 *
 * @example
 * ```ts
 * new uPlot(plotOptions(setting), [t, ...values], container);
 * ```
 */
export function plotOptions(setting: PlotSetting): uPlot.Options {
  const { unit, thresholds } = setting.reading;
  // Read once per draw, as it starts (every stroke of the draw asks): reading them costs a style
  // lookup and eight property reads each time.
  let drawing: PlotColours | undefined;
  const colours = () => (drawing ??= setting.colours());
  const colour = (i: number) => () => {
    const series = colours().series;
    return series[i % series.length];
  };
  const text = () => colours().text;
  const grid = () => colours().grid;
  return {
    width: setting.width,
    height: setting.height,
    // Times are ms since the epoch, as the API sends them.
    ms: 1,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true },
      y: {
        range: (_u, min, max) => {
          const low = Math.min(min ?? 0, thresholds.warning, thresholds.critical, 0);
          const high = Math.max(max ?? 0, thresholds.warning, thresholds.critical);
          return [low, high + (high - low) * 0.1];
        },
      },
    },
    axes: [
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        // Seconds when ticks are seconds apart, dates when they are days apart, else the time.
        values: (_u, ticks, _axis, _space, incr) => {
          const format = dateTimeFormat(setting.locale, tickFormat(incr));
          return ticks.map((t) => format.format(t));
        },
      },
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        size: 64,
        values: (_u, ticks) => ticks.map((t) => formatValue(t, unit, setting.locale)),
      },
    ],
    series: [
      {},
      ...setting.labels.map((label, i) => ({
        label,
        stroke: colour(i),
        width: 2,
        spanGaps: false,
        points: { show: false },
      })),
    ],
    hooks: {
      drawClear: [
        (u: uPlot) => {
          drawing = setting.colours();
          drawBands(u, setting, drawing);
        },
      ],
    },
  };
}
