/** `format_query` of kpi-lights and of a real Prometheus 2.42 agree, query for query, one-line and laid out. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_READ_TOKEN, type ApiServer, startApiServer } from '#test-support/api-server.js';
import {
  hasPrometheus,
  type RunningPrometheus,
  startPrometheus,
} from '#test-support/prometheus-server.js';

const skip = !hasPrometheus();
if (skip) console.warn('skipping the format_query comparison: no prometheus on PATH');

const long = (name: string) => `${name}_${'x'.repeat(40)}`;

/** Queries that exercise every node's printing, and long ones that must be split. */
const QUERIES = [
  'up{z="1",a="2"}',
  '{__name__=~"u.*",job!="x"}',
  'x offset 5m @ 100',
  'rate(x[5m] offset 1m @ end())',
  'x[5m:1m] offset 1d',
  '-1',
  '-(x)',
  '1e6 + 123456 * 0.00001',
  'x * ignoring(a) group_right(b) y',
  'topk(3, x) and bottomk(2, y) unless z',
  'quantile(0.9, x)',
  'label_replace(x, "a", "$1", "b", "(.*)")',
  'x{a="\\n\\"é\\\\"}',
  `sum by (le) (rate(${long('a')}[5m])) * 100 + 1 - sum by (le) (rate(${long('b')}[5m]))`,
  `(sum(rate(${long('a')}[5m])) / sum(rate(${long('b')}[5m])))`,
  `-(sum(rate(${long('a')}[5m])) / sum(rate(${long('b')}[5m])))`,
  `max_over_time((sum(rate(${long('a')}[5m])) / sum(rate(${long('b')}[5m])))[1h:5m] offset 1d)`,
  `label_replace(rate(${long('a')}[5m]), "dst_label_name", "$1", "src_label_name", "(.*)-suffix")`,
  `topk(5, sum by (${long('l')}, ${long('m')}) (rate(${long('c')}[5m])))`,
  `${long('a')}${'y'.repeat(70)}[5m:]`,
];

describe.skipIf(skip)('format_query', () => {
  let api: ApiServer;
  let prometheus: RunningPrometheus;
  let dir: string;

  beforeAll(async () => {
    api = await startApiServer();
    dir = mkdtempSync(join(tmpdir(), 'kpi-format-'));
    prometheus = await startPrometheus(join(dir, 'data'), dir);
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const format = async (base: string, query: string, token?: string) => {
    const res = await fetch(`${base}/api/v1/format_query?query=${encodeURIComponent(query)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, body: await res.json() };
  };

  it.each(QUERIES)('%s', async (query) => {
    const ours = await format(`${api.url}/prometheus`, query, API_READ_TOKEN);
    const theirs = await format(prometheus.url, query);
    expect(theirs.status).toBe(200);
    expect(ours).toEqual(theirs);
  });

  it('refuses a query that does not parse as Prometheus does', async () => {
    const ours = await format(`${api.url}/prometheus`, 'sum(', API_READ_TOKEN);
    expect(ours).toEqual(await format(prometheus.url, 'sum('));
  });
});
