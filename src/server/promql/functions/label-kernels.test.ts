/** Tests for label_replace and label_join against functions.test. */
import { describe, expect, it } from 'vitest';
import { PromqlError } from '../promql-error.js';
import { compileLabelRegex, isValidLabelName, labelJoin, labelReplace } from './label-kernels.js';

const m10 = { __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' };

describe('labelReplace (functions.test)', () => {
  it('does a full-string match and replace', () => {
    expect(labelReplace(m10, 'dst', 'destination-value-$1', 'src', 'source-value-(.*)')).toEqual({
      ...m10,
      dst: 'destination-value-10',
    });
  });

  it('does not match substrings, and leaves the labels alone without a match', () => {
    expect(labelReplace(m10, 'dst', 'destination-value-$1', 'src', 'value-(.*)')).toBe(m10);
    expect(labelReplace(m10, 'dst', 'value-$1', 'src', 'non-matching-regex')).toBe(m10);
    expect(labelReplace(m10, 'dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)')).toBe(m10);
  });

  it('works with multiple capture groups', () => {
    expect(labelReplace(m10, 'dst', '$1-value-$2', 'src', '(.*)-value-(.*)').dst).toBe(
      'source-value-10',
    );
  });

  it('matches an absent source label as the empty string', () => {
    expect(labelReplace(m10, 'dst', 'value-$1', 'nonexistent-src', '(.*)').dst).toBe('value-');
  });

  it('drops a label set to the empty string', () => {
    const { dst: _dst, ...withoutDst } = m10;
    expect(labelReplace(m10, 'dst', '', 'dst', '.*')).toEqual(withoutDst);
  });

  it('accepts a precompiled regex', () => {
    const re = compileLabelRegex('source-value-(.*)');
    expect(labelReplace(m10, 'n', '$1', 'src', re).n).toBe('10');
  });

  it('does not read inherited object properties as labels', () => {
    expect(labelReplace({}, 'dst', 'x$1', 'constructor', '(.*)')).toEqual({ dst: 'x' });
  });

  it('throws execution errors for an invalid regex or destination', () => {
    expect(() => labelReplace(m10, 'dst', 'value-$1', 'src', '(.*')).toThrow(
      'invalid regular expression in label_replace(): (.*',
    );
    expect(() => labelReplace(m10, '\uFFFD', '', 'src', '(.*)')).toThrow(
      'invalid destination label name in label_replace(): \uFFFD',
    );
    try {
      labelReplace(m10, '', '', 'src', '(.*)');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PromqlError);
      expect((e as PromqlError).kind).toBe('execution');
    }
  });
});

describe('labelJoin (functions.test)', () => {
  const m = { src: 'a', src1: 'b', src2: 'c', dst: 'original-destination-value' };

  it('joins the sources in order', () => {
    expect(labelJoin(m, 'dst', '-', ['src', 'src1', 'src2']).dst).toBe('a-b-c');
  });

  it('reads absent sources as empty strings', () => {
    expect(labelJoin(m, 'dst', '-', ['src', 'src3', 'src1']).dst).toBe('a--b');
  });

  it('removes the destination when the result is empty', () => {
    expect(labelJoin(m, 'dst', '', ['emptysrc', 'emptysrc1'])).toEqual({
      src: 'a',
      src1: 'b',
      src2: 'c',
    });
    expect(labelJoin(m, 'dst', ', ', [])).toEqual({ src: 'a', src1: 'b', src2: 'c' });
  });

  it('creates the destination', () => {
    const m1 = { src: 'foo', src1: 'bar', src2: 'foobar' };
    expect(labelJoin(m1, 'dst', ', ', ['src', 'src1', 'src2']).dst).toBe('foo, bar, foobar');
  });

  it('returns the same object when nothing changes', () => {
    expect(labelJoin(m, 'src', '', ['src'])).toBe(m);
  });

  it('validates source and destination names', () => {
    expect(() => labelJoin(m, '', '-', ['src'])).toThrow(
      'invalid destination label name in label_join(): ',
    );
    expect(() => labelJoin(m, 'dst', '-', ['\uD800'])).toThrow(
      'invalid source label name in label_join()',
    );
  });
});

describe('isValidLabelName', () => {
  it('accepts any non-empty UTF-8 name, as Prometheus 3', () => {
    expect(isValidLabelName('job')).toBe(true);
    expect(isValidLabelName('my-label.ü')).toBe(true);
    expect(isValidLabelName('')).toBe(false);
    expect(isValidLabelName('a\uDC00')).toBe(false);
  });
});
