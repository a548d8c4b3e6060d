import { describe, expect, it } from 'vitest';
import { withDefaults } from './with-defaults.js';

describe('withDefaults', () => {
  it('keeps a default when the option is undefined, and takes every defined option', () => {
    expect(withDefaults({ a: 1, b: 2 }, { a: undefined, b: 3, c: 'x' })).toEqual({
      a: 1,
      b: 3,
      c: 'x',
    });
    expect(withDefaults({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it('keeps null, 0 and false as given', () => {
    expect(withDefaults({ a: 1, b: true }, { a: 0, b: false })).toEqual({ a: 0, b: false });
  });
});
