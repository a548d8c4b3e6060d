import { describe, expect, it } from 'vitest';
import { edgeBound, type RawSeries } from './window-edges.js';

const series = (instance: string, status: string, values: [number, number][]): RawSeries => ({
  metric: { __name__: 'requests_total', instance, status },
  values: values.map(([t, v]) => [t, String(v)] as const),
});

describe('edgeBound', () => {
  it('measures what the edges of two sources hold, and what extrapolation may add', () => {
    // 10 a second; one source scrapes on whole seconds, the other half a second later.
    const a = [
      series('x:1', '200', [
        [1, 10],
        [2, 20],
        [9, 90],
      ]),
    ];
    const b = [
      series('y:2', '200', [
        [1.5, 15],
        [9.5, 95],
      ]),
    ];
    const bound = edgeBound(a, b, 10);
    expect(bound.edgeDifference).toBe(5 + 5);
    expect(bound.increase).toBe(80);
    // a covers 8 s of 10: may add 80 × 2 / 8 = 20; b covers 8 s too: 80 × 2 / 8.
    expect(bound.extrapolationAtMost).toBe(20);
  });

  it('counts a series only one source can rate whole, and matches series without job or instance', () => {
    const a = [
      series('x:1', '200', [
        [1, 0],
        [9, 8],
      ]),
      series('x:1', '500', [
        [5, 1],
        [9, 3],
      ]),
    ];
    const b = [
      series('y:2', '200', [
        [1, 0],
        [9, 8],
      ]),
      series('y:2', '500', [[9, 3]]),
    ];
    expect(edgeBound(a, b, 10).edgeDifference).toBe(2);
  });
});
