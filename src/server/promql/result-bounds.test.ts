/** What a query may return: the engine counts labels it makes and the answer it builds, in samples and bytes. */
import { describe, expect, it } from 'vitest';
import { expandGoTemplate } from '../go-regex/expand-go-template.js';
import { createHead } from '../store/index.js';
import { PromqlEngine } from './engine.js';
import { labelJoin, labelReplace } from './functions/label-kernels.js';
import { PromqlError } from './promql-error.js';
import { checkResultSize, labelsBytes, POINT_BYTES, ResultSize } from './result-bounds.js';

const T = 1_700_000_000_000;

function engineWith(series: Record<string, string>[], options = {}) {
  const head = createHead();
  series.forEach((labels, i) => {
    head.append(head.getOrCreate(labels), T, i);
  });
  return new PromqlEngine(head, options);
}

function limitError(run: () => unknown): PromqlError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PromqlError);
    expect((err as PromqlError).kind).toBe('limit');
    return err as PromqlError;
  }
  throw new Error('expected a limit error');
}

describe('result size', () => {
  it('counts labels as their JSON and points at a fixed estimate', () => {
    expect(labelsBytes({})).toBe(2);
    expect(labelsBytes({ job: 'api' })).toBe(2 + 3 + 3 + 6);
    const size = new ResultSize({ maxSamples: 10, maxBytes: 1_000 });
    size.add({ job: 'api' }, 10);
    expect(() => size.add({}, 1)).toThrow(
      'query processing would load too many samples into memory in query execution',
    );
    const bytes = new ResultSize({ maxSamples: 1e9, maxBytes: 100 });
    bytes.add({}, Math.floor(98 / POINT_BYTES));
    expect(() => bytes.add({}, 1)).toThrow('the result passes the 100 B limit');
  });

  it('checks answers built elsewhere, before they are serialised', () => {
    const matrix = {
      resultType: 'matrix' as const,
      result: [{ metric: { a: 'x'.repeat(100) }, points: [[T, 1] as const] }],
    };
    expect(() => checkResultSize(matrix, { maxSamples: 10, maxBytes: 100 })).toThrow(PromqlError);
    expect(() => checkResultSize(matrix, { maxSamples: 10, maxBytes: 1_000 })).not.toThrow();
  });
});

describe('labels made by a query', () => {
  it('stops a template expansion as soon as it passes the bound', () => {
    const match = /^(.*)$/s.exec('abc')!;
    expect(expandGoTemplate('$1$1', match, 6)).toBe('abcabc');
    expect(expandGoTemplate('$1$1$1', match, 6)).toBeUndefined();
    expect(expandGoTemplate('literal', match, 3)).toBeUndefined();
  });

  it('refuses label_replace and label_join values past the bound', () => {
    const labels = { src: 'x'.repeat(100) };
    expect(labelReplace(labels, 'dst', '$1$1', 'src', '(.*)', 200).dst).toHaveLength(200);
    const err = limitError(() => labelReplace(labels, 'dst', '$1$1$1', 'src', '(.*)', 200));
    expect(err.message).toContain('the result passes the 200 B limit');
    limitError(() => labelJoin(labels, 'dst', '', ['src', 'src', 'src'], 250));
  });

  it('bounds the engine: a label blow-up fails, its count of one series passes', () => {
    const engine = engineWith([{ __name__: 'big', src: 'a'.repeat(1_000) }], {
      maxResultBytes: 64 * 1024,
    });
    const blowUp = `label_replace(big, "x", "${'$1'.repeat(100)}", "src", "(.*)")`;
    limitError(() => engine.instant(blowUp, T));
    const fits = `label_replace(big, "x", "${'$1'.repeat(10)}", "src", "(.*)")`;
    expect(engine.instant(`count(${fits})`, T)).toMatchObject({ resultType: 'vector' });
  });

  it('charges count_values a column per value it makes, so many steps of new values fail', () => {
    const wide = Array.from({ length: 100 }, (_, k) => ({ __name__: 'wide', k: String(k) }));
    const engine = engineWith(wide, { maxSamples: 100_000 });
    // 100 series × 100 steps, each a new value: 10 000 columns of 100 steps, 1 M cells.
    const expr = 'count_values("v", wide * 1000000 + time())';
    const err = limitError(() => engine.range(expr, T, T + 99, 1));
    expect(err.message).toBe(
      'query processing would load too many samples into memory in query execution',
    );
    // One step of the same fits: 100 columns of one step.
    expect(engine.range(expr, T, T, 1).result).toHaveLength(100);
  });

  it('counts the answer of an ordinary query against the byte bound', () => {
    const wide = Array.from({ length: 100 }, (_, k) => ({ __name__: 'wide', k: String(k) }));
    const engine = engineWith(wide, { maxResultBytes: 10_000 });
    limitError(() => engine.range('wide', T, T + 99, 1));
    expect(engine.instant('wide', T).result).toHaveLength(100);
  });
});
