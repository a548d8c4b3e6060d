/** Tests of the exporter options: defaults and the errors that name a bad field. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKETS,
  ExporterOptionsError,
  resolveExporterOptions,
} from './exporter-options.js';

describe('resolveExporterOptions', () => {
  it('defaults to the SLO buckets, 2 s included, and a fresh registry', () => {
    const resolved = resolveExporterOptions();
    expect(resolved.buckets).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]);
    expect(DEFAULT_BUCKETS).toContain(2);
    expect(resolved.registry).toBeInstanceOf(Registry);
    expect(resolved.processMetrics).toBe(false);
    expect(resolved.unmatchedRoute).toBe('unmatched');
    expect(resolved.constLabels).toEqual({});
  });

  it('keeps what is given', () => {
    const registry = new Registry();
    const resolved = resolveExporterOptions({
      registry,
      buckets: [0.5, 2],
      constLabels: { service: 'a', env_name: 'prod' },
      processMetrics: true,
      unmatchedRoute: 'none',
    });
    expect(resolved.registry).toBe(registry);
    expect(resolved.buckets).toEqual([0.5, 2]);
    expect(resolved.constLabels).toEqual({ service: 'a', env_name: 'prod' });
    expect(resolved.processMetrics).toBe(true);
    expect(resolved.unmatchedRoute).toBe('none');
  });

  it.each([
    [{ buckets: [] }, /^buckets: /],
    [{ buckets: [1, 1] }, /^buckets\[1\]: 1 must be greater than 1/],
    [{ buckets: [0.1, Number.NaN] }, /^buckets\[1\]: NaN is not a finite number/],
    [{ constLabels: { '1abc': 'x' } }, /^constLabels\.1abc: is not a valid label name/],
    [{ constLabels: { 'service-name': 'x' } }, /^constLabels\.service-name: is not a valid/],
    [{ constLabels: { __name__: 'x' } }, /^constLabels\.__name__: label names starting with __/],
    [
      { constLabels: { route: 'x' } },
      /^constLabels\.route: "route" is reserved: the exporter sets/,
    ],
    [{ constLabels: { le: 'x' } }, /^constLabels\.le: "le" is reserved: the exporter sets/],
    [{ constLabels: { env: 3 as unknown as string } }, /^constLabels\.env: the value must be/],
    [{ unmatchedRoute: '' }, /^unmatchedRoute: /],
  ])('rejects %j, naming the field', (options, message) => {
    expect(() => resolveExporterOptions(options)).toThrow(ExporterOptionsError);
    expect(() => resolveExporterOptions(options)).toThrow(message);
  });
});
