/** The data sets of the PromQL benchmark: Prometheus's engine benchmark (100 `a`, 100 `b`, 100 histograms × 11 buckets), and 100 counters over days. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Labels } from '../../src/server/model/model.js';

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];

export interface BenchDataShape {
  /** Series per family. Default 100. */
  readonly series: number;
  /** Scrape interval in ms. Default 10 000. */
  readonly intervalMs: number;
  /** Samples per series. Default 8 640 (one day at 10 s). */
  readonly points: number;
  /** Time of the first sample, ms; a whole second. */
  readonly startMs: number;
}

/** One series of the set: its labels, and its value at scrape `i` (counters, so rates are steady). */
export interface BenchSeries {
  readonly family: string;
  readonly labels: Labels;
  readonly valueAt: (i: number) => number;
}

/**
 * Every series of the set, families together (OpenMetrics wants a family's samples contiguous).
 * @example benchSeries({ series: 100, … }).length // 100 + 100 + 100 * 11
 */
export function benchSeries(shape: BenchDataShape): BenchSeries[] {
  const out: BenchSeries[] = [];
  for (let l = 0; l < shape.series; l++) {
    out.push({ family: 'a', labels: { __name__: 'a', l: String(l) }, valueAt: (i) => i * (l + 1) });
  }
  for (let l = 0; l < shape.series; l++) {
    // A counter with a reset every 1 000 scrapes, so rate's reset handling runs too.
    out.push({
      family: 'b',
      labels: { __name__: 'b', l: String(l) },
      valueAt: (i) => (i % 1000) * 3 + l,
    });
  }
  for (let l = 0; l < shape.series; l++) {
    BUCKETS.forEach((le, j) => {
      out.push({
        family: 'h_bucket',
        labels: { __name__: 'h_bucket', l: String(l), le },
        valueAt: (i) => i * (j + 1) + Math.floor(i / (l + 7)),
      });
    });
  }
  return out;
}

function metricText(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
  return `${name}{${pairs.join(',')}}`;
}

/**
 * The long set, for queries over days: 100 counters `c`, each reset every 5 000 scrapes.
 * @example longBenchSeries(100).length // 100
 */
export function longBenchSeries(count: number): BenchSeries[] {
  return Array.from({ length: count }, (_, l) => ({
    family: 'c',
    labels: { __name__: 'c', l: String(l) },
    valueAt: (i: number) => (i % 5000) * (l + 2) + Math.floor(i / (l + 3)),
  }));
}

/** Series and the times they are sampled at. */
export interface BenchDataGroup {
  readonly shape: BenchDataShape;
  readonly series: readonly BenchSeries[];
}

/**
 * Writes the sets as one OpenMetrics file (timestamps in seconds) for `promtool tsdb
 * create-blocks-from` and `kpi-lights import openmetrics`.
 * @example writeOpenMetrics('data.om', [{ shape, series: benchSeries(shape) }]);
 */
export function writeOpenMetrics(file: string, groups: readonly BenchDataGroup[]): void {
  const fd = openSync(file, 'w');
  try {
    let family = '';
    for (const { shape, series } of groups) {
      for (const s of series) {
        if (s.family !== family) {
          family = s.family;
          writeSync(fd, `# TYPE ${family} gauge\n`);
        }
        const metric = metricText(s.labels);
        const lines: string[] = [];
        for (let i = 0; i < shape.points; i++) {
          lines.push(`${metric} ${s.valueAt(i)} ${(shape.startMs + i * shape.intervalMs) / 1000}`);
        }
        writeSync(fd, `${lines.join('\n')}\n`);
      }
    }
    writeSync(fd, '# EOF\n');
  } finally {
    closeSync(fd);
  }
}
