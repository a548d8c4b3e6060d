/** The restart differential's history: counters with resets, a histogram, gauges with a NaN, a gap and an end, as OpenMetrics. */

export const SAMPLE_MS = 30_000;
export const HOUR_MS = 3_600_000;

const BUCKETS = ['0.1', '0.5', '1', '+Inf'];

/** One series: its text and its value at sample `i`, `undefined` where it has none. */
interface HistorySeries {
  readonly text: string;
  readonly values: ReadonlyArray<number | undefined>;
}

/** A counter growing by up to `most` a sample, reset to a small value every `resetEvery` samples. */
function counter(rand: () => number, points: number, most: number, resetEvery: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = 0; i < points; i++) {
    v = i > 0 && i % resetEvery === 0 ? Math.floor(rand() * 3) : v + Math.floor(rand() * most);
    out.push(v);
  }
  return out;
}

function requests(rand: () => number, points: number): HistorySeries[] {
  return ['a', 'b'].flatMap((instance, n) => [
    {
      text: `http_requests_total{code="200",instance="${instance}"}`,
      values: counter(rand, points, 150, 400 + 97 * n),
    },
    {
      text: `http_requests_total{code="500",instance="${instance}"}`,
      values: counter(rand, points, 5, 1000),
    },
  ]);
}

/** A histogram's buckets, sum and count, cumulative, with observations spread over the buckets. */
function histogram(rand: () => number, points: number): HistorySeries[] {
  const buckets = BUCKETS.map(() => [] as number[]);
  const sum: number[] = [];
  const count: number[] = [];
  const held = BUCKETS.map(() => 0);
  let total = 0;
  for (let i = 0; i < points; i++) {
    if (i > 0) {
      // New observations per bucket, cumulated upwards so every `le` holds those below it.
      let below = 0;
      for (let b = 0; b < BUCKETS.length; b++) {
        below += Math.floor(rand() * 20);
        held[b] += below;
      }
      total += below * 0.37 + rand();
    }
    held.forEach((v, b) => {
      buckets[b].push(v);
    });
    count.push(held[held.length - 1]);
    sum.push(Number(total.toFixed(3)));
  }
  return [
    ...BUCKETS.map((le, b) => ({
      text: `request_duration_seconds_bucket{le="${le}"}`,
      values: buckets[b],
    })),
    { text: 'request_duration_seconds_sum', values: sum },
    { text: 'request_duration_seconds_count', values: count },
  ];
}

/** Gauges: one with a NaN reading, one with a 20-minute gap, one that ends two thirds in. */
function gauges(rand: () => number, points: number): HistorySeries[] {
  const walk = () => Array.from({ length: points }, () => Math.round(rand() * 500) / 10);
  const filings: (number | undefined)[] = walk();
  filings[Math.floor(points / 2)] = Number.NaN;
  const refunds: (number | undefined)[] = walk();
  const gapAt = Math.floor(points / 3);
  for (let i = gapAt; i < gapAt + 40; i++) refunds[i] = undefined;
  const status: (number | undefined)[] = walk();
  for (let i = Math.floor((points * 2) / 3); i < points; i++) status[i] = undefined;
  return [
    { text: 'queue_depth{queue="filings"}', values: filings },
    { text: 'queue_depth{queue="refunds"}', values: refunds },
    { text: 'queue_depth{queue="status"}', values: status },
  ];
}

/**
 * `hours` of history from `startMs`, a sample every 30 s, as an OpenMetrics file's text (every
 * sample with its timestamp, each family's series together, `# EOF` at the end).
 * @example writeFileSync('h.om', historyOpenMetrics(seededRandom(1), start, 12));
 */
export function historyOpenMetrics(rand: () => number, startMs: number, hours: number): string {
  const points = (hours * HOUR_MS) / SAMPLE_MS + 1;
  const families: [string, HistorySeries[]][] = [
    ['# TYPE http_requests counter', requests(rand, points)],
    ['# TYPE request_duration_seconds histogram', histogram(rand, points)],
    ['# TYPE queue_depth gauge', gauges(rand, points)],
  ];
  const lines: string[] = [];
  for (const [meta, series] of families) {
    lines.push(meta);
    for (const s of series) {
      for (const [i, v] of s.values.entries()) {
        if (v !== undefined) lines.push(`${s.text} ${v} ${(startMs + i * SAMPLE_MS) / 1000}`);
      }
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/** A series written after the history: it is tested by the queries past the history's end. */
export interface LateSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

/**
 * A batch job's `job_up` after the history ends at `endMs`: 1 every 30 s for 15 minutes, then
 * a staleness marker (`staleNaN`, the store's own bits), then back at 2 from minute 25 to 30.
 * OpenMetrics text cannot carry a marker, so this goes in through the store and remote write.
 * @example lateStaleSeries(end, STALE_NAN).samples.length // 42
 */
export function lateStaleSeries(endMs: number, staleNaN: number): LateSeries {
  const samples: { t: number; v: number }[] = [];
  for (let i = 1; i <= 30; i++) samples.push({ t: endMs + i * SAMPLE_MS, v: 1 });
  samples.push({ t: endMs + 31 * SAMPLE_MS, v: staleNaN });
  for (let i = 50; i <= 60; i++) samples.push({ t: endMs + i * SAMPLE_MS, v: 2 });
  return { labels: { __name__: 'job_up', job: 'batch' }, samples };
}
