/** The demo's Python intake service in the demo policy: its lights over the real service, and the policy without it where Python is missing. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { increaseOf } from '#test-support/exposition-counters.js';
import { scrapedHead } from '#test-support/scraped-head.js';
import { INTAKE_KPI_PREFIX, withoutIntake } from '../../demo/intake-policy.js';
import { DEMO_PORTS } from '../../demo/ports.js';
import {
  type IntakeService,
  intakeServiceMissing,
  startIntakeService,
} from '../../demo/services/intake-service.js';
import { evaluateKpi, lintSelectors, querySelectors } from '../../src/server/kpi/index.js';
import { parsePolicy } from '../../src/server/policy/index.js';
import { scrapeTargetsOf } from '../../src/server/policy/scrape-targets.js';

const DEMO_POLICY = readFileSync(new URL('../../demo/kpi-lights.yaml', import.meta.url), 'utf8');
const INTAKE_URL = `http://127.0.0.1:${DEMO_PORTS.intake}`;

describe('the demo policy and the Python intake', () => {
  it('leaves the intake target and its lights out, and nothing else, when Python cannot run it', () => {
    const full = parsePolicy(DEMO_POLICY, 'kpi-lights.yaml');
    const trimmed = parsePolicy(withoutIntake(DEMO_POLICY), 'kpi-lights.yaml');
    const intakeIds = full.kpis.map((k) => k.id).filter((id) => id.startsWith(INTAKE_KPI_PREFIX));
    expect(intakeIds).toEqual(['efile-intake-error-rate', 'efile-intake-latency']);
    expect(trimmed.kpis.map((k) => k.id)).toEqual(
      full.kpis.map((k) => k.id).filter((id) => !intakeIds.includes(id)),
    );
    expect(trimmed.targets.map((t) => t.url)).toEqual(
      full.targets.map((t) => t.url).filter((url) => !url.startsWith(INTAKE_URL)),
    );
    expect(trimmed.alerts).toEqual(full.alerts);
    // The rest of the file, comments included, is as it was.
    expect(withoutIntake(DEMO_POLICY)).toContain('# The SRE workbook');
  });
});

const missing = intakeServiceMissing();
if (missing) console.warn(`skipping the demo intake lights: ${missing}`);

describe.skipIf(missing !== undefined)('the demo intake lights over the real service', () => {
  let intake: IntakeService;
  beforeAll(async () => {
    intake = await startIntakeService({ port: 0 });
  }, 30_000);
  afterAll(async () => {
    await intake?.close();
  });

  it('reads the error rate and latency the story asks for, and the lint has nothing to say', async () => {
    const policy = parsePolicy(DEMO_POLICY.replaceAll(INTAKE_URL, intake.url), 'kpi-lights.yaml');
    const head = scrapedHead(scrapeTargetsOf(policy).filter((t) => t.url.startsWith(intake.url)));
    const file = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${intake.url}/filings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        await res.arrayBuffer();
      }
    };
    const T0 = 1_800_000_000_000;
    // Five times as many requests before the first scrape as between the two: no counter would
    // reach zero within the stretch rate() extrapolates to, so every series is stretched by the
    // same factor and the ratios are exactly those of the counters' increases.
    await intake.setKnobs({ errorRate: 0.25 });
    await file(200);
    const before = await (await fetch(`${intake.url}/metrics`)).text();
    await head.scrapeAll(T0);
    await file(40);
    const after = await (await fetch(`${intake.url}/metrics`)).text();
    await head.scrapeAll(T0 + 30_000);
    const kpi = (id: string) => policy.kpis.find((k) => k.id === id)!;
    const errors = await evaluateKpi(kpi('efile-intake-error-rate'), head.source, T0 + 30_000);
    expect(increaseOf(before, after, 'http_errors_total')).toBe(10);
    expect([errors.value, errors.status]).toEqual([10 / 40, 'critical']);
    const latency = await evaluateKpi(kpi('efile-intake-latency'), head.source, T0 + 30_000);
    const ms = increaseOf(before, after, 'req_ms_sum');
    expect(latency.value).toBeCloseTo(ms / 40 / 1000, 9);
    for (const id of ['efile-intake-error-rate', 'efile-intake-latency']) {
      const lint = await lintSelectors(querySelectors(kpi(id).query), head.source, {
        atMs: T0 + 30_000,
        targets: () => head.source.targets?.() ?? [],
      });
      expect(lint, id).toEqual({ warnings: [], undecided: false });
    }
  }, 30_000);
});
