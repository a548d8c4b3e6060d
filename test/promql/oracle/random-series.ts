/** Seeded random KPI-shaped data: counters with resets, gauges with gaps, classic histograms. */
import type { Labels } from '../../../src/server/model/model.js';
import { STALE_NAN } from '../../../src/server/model/model.js';

/** One generated series: labels and one value (or `undefined` for a gap) per scrape. */
export interface GeneratedSeries {
  readonly labels: Labels;
  readonly values: ReadonlyArray<number | undefined>;
}

const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

function counter(rand: () => number, points: number, rate: number): number[] {
  const out: number[] = [];
  let v = Math.floor(rand() * 100);
  for (let i = 0; i < points; i++) {
    // About one reset in 40 scrapes, as a restarting service would show.
    if (i > 0 && rand() < 0.025) v = Math.floor(rand() * 5);
    else if (i > 0) v += Math.floor(rand() * rate);
    out.push(v);
  }
  return out;
}

/**
 * Generates `services` × 2 request counters, `services` gauges and `services` classic histograms.
 * @example generateSeries(seededRandom(1), { services: 3, points: 80 }).length // 3*2 + 3 + 3*9
 */
export function generateSeries(
  rand: () => number,
  { services, points }: { services: number; points: number },
): GeneratedSeries[] {
  const out: GeneratedSeries[] = [];
  for (let s = 0; s < services; s++) {
    const service = `svc${s}`;
    out.push({
      labels: { __name__: 'http_requests_total', service, code: '200' },
      values: counter(rand, points, 50),
    });
    out.push({
      labels: { __name__: 'http_requests_total', service, code: '500' },
      values: counter(rand, points, 4),
    });
    const gauge: Array<number | undefined> = [];
    let g = 20 + rand() * 10;
    for (let i = 0; i < points; i++) {
      g += (rand() - 0.5) * 2;
      const r = rand();
      // Gaps and a staleness marker now and then, so lookback and staleness are exercised.
      gauge.push(r < 0.05 ? undefined : r < 0.07 ? STALE_NAN : Math.round(g * 100) / 100);
    }
    out.push({ labels: { __name__: 'queue_depth', service }, values: gauge });
    // Cumulative buckets: each observation lands in one bucket and every bucket above it.
    const counts = BUCKETS.map(() => 0);
    const perBucket: number[][] = BUCKETS.map(() => []);
    const count: number[] = [];
    const sum: number[] = [];
    let total = 0;
    let sumV = 0;
    for (let i = 0; i < points; i++) {
      const n = Math.floor(rand() * 20);
      for (let k = 0; k < n; k++) {
        const latency = rand() ** 2 * 3;
        sumV += latency;
        total++;
        for (let b = 0; b < BUCKETS.length; b++) {
          if (BUCKETS[b] === '+Inf' || latency <= Number(BUCKETS[b])) counts[b]++;
        }
      }
      for (let b = 0; b < counts.length; b++) perBucket[b].push(counts[b]);
      count.push(total);
      sum.push(Math.round(sumV * 1000) / 1000);
    }
    BUCKETS.forEach((le, b) => {
      out.push({
        labels: { __name__: 'http_request_duration_seconds_bucket', service, le },
        values: perBucket[b],
      });
    });
    out.push({
      labels: { __name__: 'http_request_duration_seconds_count', service },
      values: count,
    });
    out.push({ labels: { __name__: 'http_request_duration_seconds_sum', service }, values: sum });
  }
  return out;
}

/** The series as promtool's value notation (`_` for gaps, `stale` for the marker). */
export function promtoolValues(values: ReadonlyArray<number | undefined>): string {
  return values
    .map((v) => {
      if (v === undefined) return '_';
      if (Number.isNaN(v)) return 'stale';
      return String(v);
    })
    .join(' ');
}
