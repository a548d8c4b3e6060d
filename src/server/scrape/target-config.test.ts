import { describe, expect, it } from 'vitest';
import { resolveTarget, SCRAPE_DEFAULTS, sameTarget, TargetConfigError } from './target-config.js';

describe('resolveTarget', () => {
  it('fills in defaults, job, instance and sorted target labels', () => {
    const t = resolveTarget({
      url: 'http://127.0.0.1:8001/metrics',
      labels: { service: 'efile', agency: 'IRS' },
    });
    expect(t).toMatchObject({
      url: 'http://127.0.0.1:8001/metrics',
      job: 'kpi-lights',
      instance: '127.0.0.1:8001',
      intervalMs: 15_000,
      timeoutMs: 10_000,
      honorTimestamps: true,
      limits: {
        bodySizeLimit: 10 * 1024 * 1024,
        sampleLimit: 0,
        seriesLimit: 100_000,
        labelLimit: 64,
        labelNameLengthLimit: 256,
        labelValueLengthLimit: 4096,
      },
    });
    expect(Object.keys(t.targetLabels)).toEqual(['agency', 'instance', 'job', 'service']);
    expect(t.id).toBe(
      'http://127.0.0.1:8001/metrics {agency="IRS",instance="127.0.0.1:8001",job="kpi-lights",service="efile"}',
    );
  });

  it('writes the default port into instance', () => {
    expect(resolveTarget({ url: 'https://svc.example/metrics' }).instance).toBe('svc.example:443');
    expect(resolveTarget({ url: 'http://svc.example/metrics' }).instance).toBe('svc.example:80');
  });

  it('lets the target override the defaults', () => {
    const t = resolveTarget(
      { url: 'http://a:1/m', job: 'own', intervalMs: 5_000, sampleLimit: 10 },
      { job: 'shared', intervalMs: 60_000, timeoutMs: 3_000, sampleLimit: 99 },
    );
    expect(t).toMatchObject({ job: 'own', intervalMs: 5_000, timeoutMs: 3_000 });
    expect(t.limits.sampleLimit).toBe(10);
  });

  it('caps an inherited timeout at the interval, but refuses a target’s own longer one', () => {
    expect(
      resolveTarget({ url: 'http://a:1/m', intervalMs: 1_000 }, { timeoutMs: 5_000 }).timeoutMs,
    ).toBe(1_000);
    expect(resolveTarget({ url: 'http://a:1/m', intervalMs: 1_000 }).timeoutMs).toBe(1_000);
    expect(() =>
      resolveTarget({ url: 'http://a:1/m', intervalMs: 1_000, timeoutMs: 2_000 }),
    ).toThrow('scrape target timeoutMs: timeout 2s is longer than interval 1s');
  });

  it.each([
    [{ url: '' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'ftp://a/m' }, 'url'],
    [{ url: 'http://u:p@a/m' }, 'url'],
    [{ url: 'http://a/m', intervalMs: 0 }, 'intervalMs'],
    [{ url: 'http://a/m', intervalMs: 1.5 }, 'intervalMs'],
    [{ url: 'http://a/m', sampleLimit: -1 }, 'sampleLimit'],
    [{ url: 'http://a/m', bodySizeLimit: Number.NaN }, 'bodySizeLimit'],
    [{ url: 'http://a/m', job: '' }, 'job'],
    [{ url: 'http://a/m', labels: { 'bad-name': 'x' } }, 'labels.bad-name'],
    [{ url: 'http://a/m', labels: { __meta: 'x' } }, 'labels.__meta'],
    [{ url: 'http://a/m', labels: { job: 'x' } }, 'labels.job'],
    [{ url: 'http://a/m', labels: { instance: 'x' } }, 'labels.instance'],
  ])('refuses %j, naming %s', (options, field) => {
    try {
      resolveTarget(options);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TargetConfigError);
      expect((err as TargetConfigError).field).toBe(field);
      expect((err as Error).message).toMatch(
        new RegExp(`^scrape target ${field.replace('.', '\\.')}: `),
      );
    }
  });

  it('drops empty label values, which Prometheus treats as absent', () => {
    expect(resolveTarget({ url: 'http://a/m', labels: { env: '' } }).labels).toEqual({});
  });

  it('tells equal settings from changed ones', () => {
    const a = resolveTarget({ url: 'http://a/m' });
    expect(sameTarget(a, resolveTarget({ url: 'http://a/m' }))).toBe(true);
    expect(sameTarget(a, resolveTarget({ url: 'http://a/m', labelLimit: 3 }))).toBe(false);
    expect(SCRAPE_DEFAULTS.honorTimestamps).toBe(true);
  });
});
