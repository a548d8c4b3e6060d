/** Queries past what the parser can follow get errors that say so, not "unexpected identifier" or "unknown function". */
import { describe, expect, it } from 'vitest';
import { createHead } from '../store/index.js';
import { PromqlEngine } from './engine.js';
import { parsePromql } from './parse.js';
import { queryShape } from './parse-limits.js';
import { PromqlError } from './promql-error.js';

const chain = (terms: number) => Array.from({ length: terms }, () => 'count(up)').join('+');

function subqueries(depth: number): string {
  let q = 'up';
  for (let i = 0; i < depth; i++) q = `sum_over_time((${q})[5m:1m])`;
  return q;
}

function errorOf(query: string): PromqlError {
  try {
    parsePromql(query);
  } catch (err) {
    if (err instanceof PromqlError) return err;
    throw err;
  }
  throw new Error('expected a PromqlError');
}

describe('parse limits', () => {
  it('says a 500-term sum is too long, not "unexpected identifier"', () => {
    const err = errorOf(chain(500));
    expect([err.kind, err.message]).toEqual([
      'unsupported',
      "query too long for this engine's parser: 499 operators in one expression; split it into smaller queries or recording rules",
    ]);
  });

  it('says a 1 000-deep subquery is nested too deeply, not "unknown function sum_over_time"', () => {
    const err = errorOf(subqueries(1_000));
    expect([err.kind, err.message]).toEqual([
      'unsupported',
      "query nested too deeply for this engine's parser: 2000 levels of brackets; split it into smaller queries or recording rules",
    ]);
    // Deep enough for the tree builder to flatten, though the parse itself went through.
    expect(errorOf(subqueries(700)).message).toContain('1400 levels of brackets');
  });

  it('parses and evaluates what it can follow exactly', () => {
    const engine = new PromqlEngine(createHead());
    expect(engine.instant(Array.from({ length: 300 }, () => '1').join('+'), 0).result).toEqual([
      0, 300,
    ]);
    expect(parsePromql(chain(200)).kind).toBe('binary');
    expect(parsePromql(subqueries(300)).kind).toBe('call');
  });

  it('measures a query by its brackets and operators, strings and matchers aside', () => {
    expect(queryShape('sum(rate(x{a="(+)"}[5m])) / sum(rate(y[5m])) and z')).toEqual({
      depth: 3,
      chain: 2,
    });
    expect(queryShape('label_replace(x, "a", "$1+$1", "b", "(.*)")')).toEqual({
      depth: 1,
      chain: 0,
    });
  });
});
