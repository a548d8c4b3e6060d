/** The lint across rounds: new queries at once, judged ones again only when due, undecided ones every round. */
import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../promql/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import type { QuerySource } from '../source/query-source.js';
import { createHead } from '../store/memory-head.js';
import { LintRounds } from './lint-rounds.js';
import { ParsedQueries } from './parsed-queries.js';
import type { TargetView } from './selector-lint.js';

const AT = 1_800_000_000_000;

function countingSource(): QuerySource & { asked: () => number } {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const ref = head.getOrCreate({ __name__: 'http_requests_total', job: 'efile', status: '2xx' });
  head.append(ref, AT - 5_000, 1);
  const inner = createEmbeddedSource(new PromqlEngine(head, {}), { head });
  let asked = 0;
  return {
    ...inner,
    instant: (expr, time, opts) => {
      asked++;
      return inner.instant(expr, time, opts);
    },
    asked: () => asked,
  };
}

const target = (health: TargetView['health']): TargetView => ({
  url: 'http://efile/metrics',
  job: 'efile',
  labels: {},
  health,
  lastError: null,
});

/** A round's context over `source`, the targets' health read from `health` each time. */
function roundsOver(source: QuerySource, health: () => TargetView['health']) {
  const queries = new ParsedQueries();
  return (atMs: number) => ({
    source,
    selectors: (q: string) => queries.selectors(q),
    atMs,
    timeoutMs: 1_000,
    targets: async () => [target(health())],
  });
}

describe('LintRounds', () => {
  const bad = 'sum(rate(http_requests_total{status="500"}[5m]))';
  const good = 'sum(rate(http_requests_total[5m]))';

  it('lints a new query in its first round, then again only every everyMs', async () => {
    const source = countingSource();
    const rounds = new LintRounds(60_000);
    const context = roundsOver(source, () => 'up');
    const first = await rounds.warnings([good, bad], context(AT));
    expect(first.get(good)).toEqual([]);
    expect(first.get(bad)).toEqual([
      'http_requests_total{status="500"} can never match: status has 2xx; "500" matches none',
    ]);
    const asked = source.asked();
    expect((await rounds.warnings([good, bad], context(AT + 15_000))).get(bad)).toHaveLength(1);
    expect(source.asked()).toBe(asked);
    // A query added by a policy change is linted in the round that first runs it.
    const added = 'http_requests_total{code="5"}';
    expect((await rounds.warnings([good, added], context(AT + 30_000))).get(added)).toHaveLength(1);
    await rounds.warnings([good, bad], context(AT + 60_000));
    expect(source.asked()).toBeGreaterThan(asked);
  });

  it('asks again every round while a query is undecided', async () => {
    const source = countingSource();
    const rounds = new LintRounds(60_000);
    let health: TargetView['health'] = 'unknown';
    const context = roundsOver(source, () => health);
    expect((await rounds.warnings([bad], context(AT))).get(bad)).toEqual([]);
    health = 'up';
    expect((await rounds.warnings([bad], context(AT + 15_000))).get(bad)).toHaveLength(1);
  });

  it('asks again every round while a metric is not exposed yet, and drops the warning once it is', async () => {
    // A service's labelled metrics appear with its first requests, after the first scrape.
    const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    head.append(head.getOrCreate({ __name__: 'up', job: 'efile' }), AT - 5_000, 1);
    const source = createEmbeddedSource(new PromqlEngine(head, {}), { head });
    const rounds = new LintRounds(60_000);
    const context = roundsOver(source, () => 'up');
    expect((await rounds.warnings([good], context(AT))).get(good)).toEqual([
      'no target exposes http_requests_total: check its name (a metric with labels appears only after its first event)',
    ]);
    const ref = head.getOrCreate({ __name__: 'http_requests_total', job: 'efile', status: '2xx' });
    head.append(ref, AT + 10_000, 1);
    expect((await rounds.warnings([good], context(AT + 15_000))).get(good)).toEqual([]);
  });
});
