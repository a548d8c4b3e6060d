/** Tests for the natural order sort_by_label uses. */
import { describe, expect, it } from 'vitest';
import { naturalCompare } from './natural-compare.js';

describe('naturalCompare', () => {
  it('orders digit runs by number and text runs as text', () => {
    expect(['10', '2', '100', '1', '21'].sort(naturalCompare)).toEqual([
      '1',
      '2',
      '10',
      '21',
      '100',
    ]);
    expect(['4m1000', '4m5', '4m600'].sort(naturalCompare)).toEqual(['4m5', '4m600', '4m1000']);
    expect(['1.111.3', '1.2.3', '1.11.3'].sort(naturalCompare)).toEqual([
      '1.2.3',
      '1.11.3',
      '1.111.3',
    ]);
    expect(['b', 'a1', 'a', ''].sort(naturalCompare)).toEqual(['', 'a', 'a1', 'b']);
  });

  it('is a total order where runs tie', () => {
    expect(naturalCompare('01', '1')).toBe(-1);
    expect(naturalCompare('1', '01')).toBe(1);
    expect(naturalCompare('x', 'x')).toBe(0);
  });
});
