/** The export feeds in process: a token even when reading is public, pages, resume by `since`. */
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '#test-support/temp-database.js';
import { readExportPage } from '../../feeds/export-page.js';
import { KpiHistoryStore } from '../../history/index.js';
import { STALE_NAN } from '../../model/model.js';
import { createHead } from '../../store/index.js';
import type { AccessPolicy } from '../auth.js';
import { problemErrorHandler } from '../problem.js';
import { createExportRoutes, EXPORT_UNTIL_HEADER } from './feeds.js';

const NOW = 1_800_000_000_000;
const TOKEN = 'pipeline-token-0123456789';
const access = (): AccessPolicy => ({
  read: 'public',
  tokens: [{ name: 'pipeline', token: TOKEN, scopes: ['read'] }],
});
const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

const temp = useTempDatabase('kpi-export-');
let history: KpiHistoryStore;
const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });

beforeEach(() => {
  history = new KpiHistoryStore(temp.db);
});

// 3 metrics × 2 series × 30 samples, 1 s apart, from NOW - 40 s; one series then goes stale.
for (const name of ['a_total', 'b_total', 'c_total']) {
  for (const job of ['x', 'y']) {
    const ref = head.getOrCreate({ __name__: name, job });
    for (let i = 0; i < 30; i++) head.append(ref, NOW - 40_000 + i * 1_000, i);
  }
}
head.append(head.getOrCreate({ __name__: 'a_total', job: 'x' }), NOW - 10_000, STALE_NAN);

function app(withSamples = true) {
  const routes = createExportRoutes({
    access,
    ...(withSamples && { samples: async (r) => readExportPage(head, r) }),
    history,
    settleMs: () => ({ samples: 5_000, kpis: 15_000 }),
    now: () => NOW,
  });
  const a = new Hono().route('/export', routes);
  a.onError(problemErrorHandler());
  return a;
}

async function lines(res: Response): Promise<Record<string, unknown>[]> {
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('GET /export/samples', () => {
  it('needs a token even though reading is public', async () => {
    expect((await app().request('/export/samples')).status).toBe(401);
    expect((await app().request('/export/samples', auth)).status).toBe(200);
  });

  it('sends every held sample up to now less the settle time, one series per line', async () => {
    const res = await app().request('/export/samples', auth);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get(EXPORT_UNTIL_HEADER)).toBe(String(NOW - 5_000));
    const got = await lines(res);
    expect(got.map((l) => (l.labels as Record<string, string>).__name__)).toEqual([
      'a_total',
      'a_total',
      'b_total',
      'b_total',
      'c_total',
      'c_total',
    ]);
    // The staleness marker is left out; values are numbers.
    expect((got[0].t as number[]).length).toBe(30);
    expect((got[0].v as number[]).at(-1)).toBe(29);
  });

  it('resumes from since: only later samples', async () => {
    const since = NOW - 40_000 + 27_000;
    const got = await lines(await app().request(`/export/samples?since=${since}`, auth));
    for (const l of got) expect(l.t).toEqual([since + 1_000, since + 2_000]);
  });

  it('pages through more samples than one page holds', async () => {
    const many = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    for (let s = 0; s < 30; s++) {
      const ref = many.getOrCreate({ __name__: 'm', s: String(s).padStart(2, '0') });
      for (let i = 0; i < 1_000; i++) many.append(ref, NOW - 1_000_000 + i * 900, i);
    }
    let pages = 0;
    const routes = createExportRoutes({
      access,
      samples: async (r) => {
        pages++;
        return readExportPage(many, r);
      },
      history,
      settleMs: () => ({ samples: 0, kpis: 0 }),
      now: () => NOW,
    });
    const got = await lines(await new Hono().route('/e', routes).request('/e/samples', auth));
    expect(got).toHaveLength(30);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('answers 501 where there is no head (a Prometheus source)', async () => {
    const res = await app(false).request('/export/samples', auth);
    expect(res.status).toBe(501);
  });
});

describe('GET /export/kpis', () => {
  const reading = (kpi: string, t: number, value: number) => ({
    kpi,
    group: '',
    t,
    value,
    status: 'ok' as const,
    policyVersion: 2,
  });

  it('sends readings in time order from since, and ends before readings still being written', async () => {
    for (let i = 0; i < 5; i++) {
      history.record([
        reading('a', NOW - 60_000 + i * 10_000, i),
        reading('b', NOW - 60_000 + i * 10_000, -i),
      ]);
    }
    const res = await app().request(`/export/kpis?since=${NOW - 50_000}`, auth);
    expect(res.headers.get(EXPORT_UNTIL_HEADER)).toBe(String(NOW - 15_000));
    const got = await lines(res);
    // since is exclusive: NOW - 50 s and earlier are out.
    expect(got.map((l) => [l.kpi, l.t])).toEqual([
      ['a', NOW - 40_000],
      ['b', NOW - 40_000],
      ['a', NOW - 30_000],
      ['b', NOW - 30_000],
      ['a', NOW - 20_000],
      ['b', NOW - 20_000],
    ]);
    expect(got[0]).toEqual(reading('a', NOW - 40_000, 2));
    // A reading stamped after until is still being written: the next export has it.
    history.record([reading('a', NOW - 10_000, 5)]);
    const rest = await lines(
      await app().request(`/export/kpis?since=${res.headers.get(EXPORT_UNTIL_HEADER)}`, auth),
    );
    expect(rest.map((l) => l.t)).toEqual([]);
    const later = createExportRoutes({
      access,
      history,
      settleMs: () => ({ samples: 0, kpis: 15_000 }),
      now: () => NOW + 10_000,
    });
    const next = await new Hono()
      .route('/e', later)
      .request(`/e/kpis?since=${res.headers.get(EXPORT_UNTIL_HEADER)}`, auth);
    expect((await lines(next)).map((l) => [l.kpi, l.t])).toEqual([['a', NOW - 10_000]]);
  });
});
