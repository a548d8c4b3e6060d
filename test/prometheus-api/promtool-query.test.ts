/** `promtool query instant|range|series|labels` against kpi-lights and a real Prometheus scraping the same targets: same output. */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPrometheus, type SideBySide, startSideBySide } from '#test-support/side-by-side.js';

const skip = !hasPrometheus();
if (skip) console.warn('skipping the promtool query comparison: no prometheus/promtool on PATH');

/** Runs promtool without blocking: the kpi-lights it asks runs in this process. */
function promtool(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('promtool', ['query', ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(skip)('promtool query against kpi-lights and Prometheus', () => {
  let both: SideBySide;
  /** A time both have data at: a second ago, in whole seconds so it prints the same. */
  let at: number;

  beforeAll(async () => {
    both = await startSideBySide();
    at = Math.floor(Date.now() / 1000) - 1;
  }, 90_000);
  afterAll(() => both?.close());

  /** Runs the same subcommand on both and answers both outputs, after checking both exit 0. */
  async function onBoth(args: (url: string) => readonly string[]) {
    const [ours, theirs] = await Promise.all([
      promtool(args(both.kpiUrl)),
      promtool(args(both.prometheus.url)),
    ]);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(0);
    return { ours: ours.stdout, theirs: theirs.stdout };
  }

  it.each([
    'up',
    'queue_depth',
    'sum by (job) (queue_depth)',
    'sum(requests_total{code=~"5.."}) / sum(requests_total)',
    'histogram_quantile(0.9, sum by (le) (request_duration_seconds_bucket))',
    'count by (service) (up)',
    'absent(nosuch)',
    'vector(1) * 2',
  ])('instant %s', async (expr) => {
    const { ours, theirs } = await onBoth((url) => ['instant', `--time=${at}`, url, expr]);
    expect(ours).not.toBe('');
    expect(ours).toBe(theirs);
  });

  it('instant, as JSON', async () => {
    const { ours, theirs } = await onBoth((url) => [
      'instant',
      '-o',
      'json',
      `--time=${at}`,
      url,
      'queue_depth',
    ]);
    expect(JSON.parse(ours)).toEqual(JSON.parse(theirs));
  });

  it.each(['up', 'sum by (job) (queue_depth)', 'sum(rate(requests_total[5s]))'])(
    'range %s',
    async (expr) => {
      // Three seconds back: both scraped before, at their own offsets, and the values are
      // constant, so every step reads the same.
      const { ours, theirs } = await onBoth((url) => [
        'range',
        `--start=${at - 3}`,
        `--end=${at}`,
        '--step=1s',
        url,
        expr,
      ]);
      expect(ours).toContain('@[');
      expect(ours).toBe(theirs);
    },
  );

  it.each([['up'], ['queue_depth', 'build_info'], ['{service="efile",__name__=~"request.*"}']])(
    'series --match=%s',
    async (...matches) => {
      const { ours, theirs } = await onBoth((url) => [
        'series',
        ...matches.map((m) => `--match=${m}`),
        `--start=${at - 3}`,
        `--end=${at}`,
        url,
      ]);
      expect(ours).not.toBe('');
      expect(ours).toBe(theirs);
    },
  );

  it.each(['job', 'service', 'queue', 'instance'])('labels %s', async (name) => {
    const { ours, theirs } = await onBoth((url) => ['labels', url, name]);
    expect(ours).not.toBe('');
    expect(ours).toBe(theirs);
  });

  it('labels over a range that holds no samples answers nothing on both', async () => {
    const { ours, theirs } = await onBoth((url) => ['labels', '--start=1', '--end=2', url, 'job']);
    expect(ours).toBe(theirs);
  });
});
