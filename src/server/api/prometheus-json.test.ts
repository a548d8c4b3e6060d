import { describe, expect, it } from 'vitest';
import { formatSampleValue, toPrometheusData } from './prometheus-json.js';

describe('formatSampleValue', () => {
  it('writes values as Prometheus does', () => {
    expect(formatSampleValue(1)).toBe('1');
    expect(formatSampleValue(0.1)).toBe('0.1');
    expect(formatSampleValue(1 / 3)).toBe('0.3333333333333333');
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(-0)).toBe('-0');
    expect(formatSampleValue(1e-7)).toBe('1e-07');
    expect(formatSampleValue(0.000001)).toBe('0.000001');
    expect(formatSampleValue(1e20)).toBe('100000000000000000000');
    expect(formatSampleValue(1.5e21)).toBe('1.5e+21');
    expect(formatSampleValue(-2.5e-300)).toBe('-2.5e-300');
  });
});

describe('toPrometheusData', () => {
  it('turns ms into seconds and numbers into strings', () => {
    expect(
      toPrometheusData({
        resultType: 'vector',
        result: [{ metric: { a: 'b' }, point: [1500, 2] }],
      }),
    ).toEqual({
      resultType: 'vector',
      result: [{ metric: { a: 'b' }, value: [1.5, '2'] }],
    });
    expect(
      toPrometheusData({
        resultType: 'matrix',
        result: [
          {
            metric: {},
            points: [
              [0, 1],
              [1000, Number.NaN],
            ],
          },
        ],
      }),
    ).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [0, '1'],
            [1, 'NaN'],
          ],
        },
      ],
    });
    expect(toPrometheusData({ resultType: 'scalar', result: [2000, 0.5] })).toEqual({
      resultType: 'scalar',
      result: [2, '0.5'],
    });
    expect(toPrometheusData({ resultType: 'string', result: [2000, 'x'] })).toEqual({
      resultType: 'string',
      result: [2, 'x'],
    });
  });
});
