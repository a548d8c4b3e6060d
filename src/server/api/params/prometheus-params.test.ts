import { describe, expect, it } from 'vitest';
import { ParamError, parsePrometheusDuration, parsePrometheusTime } from './prometheus-params.js';

describe('parsePrometheusTime', () => {
  it('reads unix seconds, to the ms', () => {
    expect(parsePrometheusTime('1700000000')).toBe(1_700_000_000_000);
    expect(parsePrometheusTime('1700000000.1234')).toBe(1_700_000_000_123);
    expect(parsePrometheusTime('-1.5')).toBe(-1500);
  });

  it('reads RFC 3339 with fractions and offsets', () => {
    expect(parsePrometheusTime('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000);
    expect(parsePrometheusTime('2023-11-14T22:13:20.250Z')).toBe(1_700_000_000_250);
    expect(parsePrometheusTime('2023-11-15T00:13:20+02:00')).toBe(1_700_000_000_000);
  });

  it('refuses anything else with Prometheus wording', () => {
    expect(() => parsePrometheusTime('yesterday')).toThrow(ParamError);
    expect(() => parsePrometheusTime('')).toThrow('cannot parse "" to a valid timestamp');
    expect(() => parsePrometheusTime('2023-11-14')).toThrow(ParamError);
  });
});

describe('parsePrometheusDuration', () => {
  it('reads float seconds and duration strings', () => {
    expect(parsePrometheusDuration('15')).toBe(15_000);
    expect(parsePrometheusDuration('0.5')).toBe(500);
    expect(parsePrometheusDuration('1m30s')).toBe(90_000);
    expect(parsePrometheusDuration('1h')).toBe(3_600_000);
    expect(parsePrometheusDuration('250ms')).toBe(250);
  });

  it('refuses garbage', () => {
    expect(() => parsePrometheusDuration('1x')).toThrow('cannot parse "1x" to a valid duration');
    expect(() => parsePrometheusDuration('')).toThrow(ParamError);
  });
});
