/** The demo's FastAPI intake service, instrumented by hand with prometheus_client as the story does, scraped for real: its KPIs, an error burst, and what the lint says. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { increaseOf } from '#test-support/exposition-counters.js';
import { readmeRecipe } from '#test-support/readme-recipes.js';
import { scrapedHead } from '#test-support/scraped-head.js';
import {
  type IntakeService,
  intakeServiceMissing,
  startIntakeService,
} from '../../demo/services/intake-service.js';
import { evaluateKpi, lintSelectors, querySelectors } from '../../src/server/kpi/index.js';
import { type Policy, parsePolicy } from '../../src/server/policy/index.js';
import { scrapeTargetsOf } from '../../src/server/policy/scrape-targets.js';

const missing = intakeServiceMissing();
if (missing) console.warn(`skipping the FastAPI service tests: ${missing}`);

/** Scrapes a minute apart, stamped by the test: the 5 m windows see exactly these samples. */
const T0 = 1_800_000_000_000;
const T1 = T0 + 60_000;
const T2 = T1 + 60_000;

describe.skipIf(missing !== undefined)(
  'the FastAPI intake service (prometheus_client by hand)',
  () => {
    let intake: IntakeService;

    beforeAll(async () => {
      intake = await startIntakeService({ port: 0 });
    }, 30_000);
    afterAll(async () => {
      await intake?.close();
    });

    /** `n` filings, twenty at a time; the knobs decide exactly how many fail. */
    async function file(n: number): Promise<void> {
      for (let sent = 0; sent < n; sent += 20) {
        const batch = Math.min(20, n - sent);
        await Promise.all(
          Array.from({ length: batch }, async () => {
            const res = await fetch(`${intake.url}/filings`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ form: '1040', taxYear: 2026 }),
            });
            await res.arrayBuffer();
          }),
        );
      }
    }

    const exposition = async () => (await fetch(`${intake.url}/metrics`)).text();

    it('prometheus_client by hand: scraped, its KPIs equal the raw counters, and a 10 % burst turns the light critical', async () => {
      const policy: Policy = parsePolicy(
        readmeRecipe('prometheus_client by hand', `${intake.url}/metrics`),
        'README.md',
      );
      const kpi = (id: string) => {
        const k = policy.kpis.find((x) => x.id === id);
        if (!k) throw new Error(`the recipe has no KPI ${id}`);
        return k;
      };
      const head = scrapedHead(scrapeTargetsOf(policy));

      // A service that has run a while, with a few errors: 10 of 200 (the story's 5 % day).
      await intake.setKnobs({ errorRate: 0.05 });
      await file(200);
      const at0 = await exposition();
      await head.scrapeAll(T0);
      // A calm minute.
      await intake.setKnobs({ errorRate: 0 });
      await file(100);
      const at1 = await exposition();
      await head.scrapeAll(T1);
      const calm = await evaluateKpi(kpi('intake-error-rate'), head.source, T1);
      expect([calm.value, calm.status]).toEqual([0, 'ok']);

      // The burst: exactly one request in ten fails.
      await intake.setKnobs({ errorRate: 0.1 });
      await file(100);
      const at2 = await exposition();
      await head.scrapeAll(T2);
      const errors = increaseOf(at0, at2, 'http_errors_total');
      const requests = increaseOf(at0, at2, 'req_ms_count');
      expect([increaseOf(at1, at2, 'http_errors_total'), errors, requests]).toEqual([10, 10, 200]);
      const burst = await evaluateKpi(kpi('intake-error-rate'), head.source, T2);
      expect(burst.status).toBe('critical');
      expect(burst.value).toBeCloseTo(errors / requests, 12);

      const latency = await evaluateKpi(kpi('intake-latency'), head.source, T2);
      const ms = increaseOf(at0, at2, 'req_ms_sum');
      expect(latency.value).toBeCloseTo(ms / requests / 1000, 9);
      const within = await evaluateKpi(kpi('intake-within-2s'), head.source, T2);
      const fast = increaseOf(at0, at2, 'req_seconds_bucket', (l) => l.le === '2.0');
      expect(within.value).toBeCloseTo(fast / increaseOf(at0, at2, 'req_seconds_count'), 12);

      // The recipe's selectors all match; the usual slips on this exporter do not.
      const lint = async (query: string) =>
        (
          await lintSelectors(querySelectors(query), head.source, {
            atMs: T2,
            targets: () => head.source.targets?.() ?? [],
          })
        ).warnings;
      for (const k of policy.kpis) expect(await lint(k.query), k.id).toEqual([]);
      expect(await lint('sum(rate(req_seconds_bucket{service="intake",le="2"}[5m]))')).toEqual([
        'histogram req_seconds has its bucket le="2" spelled le="2.0": the matcher compares text, so write le="2.0"',
      ]);
      expect(await lint('sum(rate(http_errors{service="intake"}[5m]))')).toEqual([
        'no target exposes http_errors (did you mean http_errors_total?): the selector matches nothing',
      ]);
      expect(await lint('sum(rate(req_ms_count{service="intake",status=~"5.."}[5m]))')).toEqual([
        'req_ms_count{status=~"5.."} can never match: req_ms_count has no label status (it has instance, job, service)',
      ]);
    }, 60_000);
  },
);
