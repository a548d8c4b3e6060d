/** The storage benchmark's data: the generated 10 k-series workload evolving over hours, and a demo-like one. */

import { generateExposition } from '#test-support/generate-exposition.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { createEfileService, FORMS } from '../../demo/services/create-efile-service.js';
import { createStatusService } from '../../demo/services/create-status-service.js';
import { FilingLedger } from '../../demo/services/filing-ledger.js';
import type { Labels } from '../../src/server/model/model.js';
import { parseExposition } from '../../src/server/scrape/exposition/parse-exposition.js';

/** Every series of a run with every sample, scrape by scrape: both stores get exactly this. */
export interface Recorded {
  readonly name: string;
  readonly labels: Labels[];
  /** Sample `k` of series `i` is at `t[k]` with value `values[i][k]`. */
  readonly t: Float64Array;
  readonly values: Float64Array[];
}

/** Scrape times `k` intervals after `startMs`. */
function times(startMs: number, scrapes: number, intervalMs: number): Float64Array {
  return Float64Array.from({ length: scrapes }, (_, k) => startMs + k * intervalMs);
}

/**
 * The generated exposition's series (HTTP histograms and request counters with a service's
 * labels) over `scrapes` scrapes: each label set serves a random request rate, most of them
 * light, as real routes do; buckets, `_count` and the counter grow by whole requests, `_sum`
 * by their latencies.
 */
export function generatedWorkload(
  series: number,
  scrapes: number,
  startMs: number,
  intervalMs = 15_000,
): Recorded {
  const parsed = parseExposition(generateExposition({ series, seed: 1 }).text).samples;
  const labels = parsed.map((s) => ({ ...s.labels, __name__: s.name }));
  const random = seededRandom(7);
  // Label sets: one per counter line; each has a request rate per scrape, heavy-tailed.
  const setOf = parsed.map((s) => JSON.stringify({ ...s.labels, le: undefined }));
  const sets = [...new Set(setOf)];
  const rate = new Map(sets.map((k) => [k, 40 * random() ** 3]));
  const values = parsed.map(() => new Float64Array(scrapes));
  const state = parsed.map((s) => s.value);
  // Share of requests at or under each bucket's bound: a latency distribution around 50 ms.
  const below = (le: string) => (le === '+Inf' ? 1 : 1 - Math.exp(-Number(le) / 0.05));
  for (let k = 0; k < scrapes; k++) {
    const requests = new Map<string, number>();
    for (const key of sets) {
      // A Poisson draw by inversion: small rates are often 0, as quiet routes are.
      const lambda = rate.get(key)!;
      let n = 0;
      let p = Math.exp(-lambda);
      let f = p;
      const u = random();
      while (u > f && n < 1000) {
        n++;
        p *= lambda / n;
        f += p;
      }
      requests.set(key, n);
    }
    parsed.forEach((s, i) => {
      const n = requests.get(setOf[i])!;
      if (s.name.endsWith('_bucket')) state[i] += Math.round(n * below(s.labels.le ?? '+Inf'));
      else if (s.name.endsWith('_sum'))
        state[i] = Number((state[i] + n * 0.05 * (0.5 + random())).toFixed(6));
      else state[i] += n;
      values[i][k] = state[i];
    });
  }
  return { name: 'generated', labels, t: times(startMs, scrapes, intervalMs), values };
}

/**
 * The demo's two services in this process, with traffic between scrapes: what their `/metrics`
 * says (request counters and latency histograms, prom-client's process and Node.js metrics),
 * scrape after scrape.
 */
export async function demoWorkload(
  scrapes: number,
  startMs: number,
  intervalMs = 15_000,
): Promise<Recorded> {
  const random = seededRandom(11);
  const ledger = new FilingLedger();
  const services = [
    createEfileService({ ledger, workMs: [1, 6], random }),
    createStatusService({ ledger, workMs: [1, 4], random }),
  ];
  const index = new Map<string, number>();
  const labels: Labels[] = [];
  const columns: number[][] = [];
  const ids: string[] = [];
  for (let k = 0; k < scrapes; k++) {
    const calls: Promise<unknown>[] = [];
    for (let r = 0; r < 10; r++) {
      const form = FORMS[Math.floor(random() * FORMS.length)];
      const filed = Promise.resolve(
        services[0].app.request('/filings', {
          method: 'POST',
          body: JSON.stringify({ form, taxYear: 2025, tin: '123456789', agi: 50_000 }),
        }),
      );
      calls.push(
        filed.then(async (res) => {
          if (res.status === 202) ids.push(((await res.json()) as { id: string }).id);
        }),
      );
      const id = ids[Math.floor(random() * ids.length)] ?? '00000000-0000-0000-0000-000000000000';
      calls.push(Promise.resolve(services[1].app.request(`/filings/${id}/status`)));
    }
    await Promise.all(calls);
    for (const service of services) {
      const body = await (await service.app.request('/metrics')).text();
      for (const s of parseExposition(body).samples) {
        let i = index.get(s.series);
        if (i === undefined) {
          i = labels.length;
          index.set(s.series, i);
          labels.push({ ...s.labels, __name__: s.name });
          // A series that appears late has no samples before: NaN marks "none" here.
          columns.push(new Array(scrapes).fill(Number.NaN));
        }
        columns[i][k] = s.value;
      }
    }
  }
  return {
    name: 'demo-like',
    labels,
    t: times(startMs, scrapes, intervalMs),
    values: columns.map((c) => Float64Array.from(c)),
  };
}

/** Samples a recorded run holds (NaN-marked gaps of late series left out). */
export function sampleCount(r: Recorded): number {
  let n = 0;
  for (const v of r.values) for (let k = 0; k < v.length; k++) if (!Number.isNaN(v[k])) n++;
  return n;
}
