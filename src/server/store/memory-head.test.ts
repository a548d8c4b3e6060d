import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../model/model.js';
import { PAGE_BYTES } from './chunk/sealed-blocks.js';
import { createHead, type MemoryHead } from './memory-head.js';

const T0 = 1_700_000_000_000;

function seeded() {
  const head = createHead();
  const refs = {
    a: head.getOrCreate({ __name__: 'http_requests_total', job: 'api', status: '200' }),
    b: head.getOrCreate({ __name__: 'http_requests_total', job: 'api', status: '500' }),
    c: head.getOrCreate({ __name__: 'http_requests_total', job: 'web', status: '200' }),
    d: head.getOrCreate({ __name__: 'up', job: 'web' }),
    e: head.getOrCreate({ __name__: 'up', job: 'api', env: 'prod' }),
  };
  return { head, refs };
}

const names = (views: { labels: Record<string, string> }[]) =>
  views.map((v) =>
    Object.entries(v.labels)
      .map(([k, x]) => `${k}=${x}`)
      .join(','),
  );

describe('series identity', () => {
  it('returns one ref per label set, whatever the key order', () => {
    const head = createHead();
    const a = head.getOrCreate({ __name__: 'up', job: 'api', instance: 'x' });
    expect(head.getOrCreate({ instance: 'x', job: 'api', __name__: 'up' })).toBe(a);
    expect(head.has({ job: 'api', __name__: 'up', instance: 'x' })).toBe(true);
    expect(head.has({ job: 'api', __name__: 'up' })).toBe(false);
    expect(head.getRef({ job: 'api', __name__: 'up' })).toBeUndefined();
    expect(head.getRef({ job: 'api', __name__: 'up', instance: 'x' })).toBe(a);
    expect(head.seriesCount).toBe(1);
  });

  it('treats a label with an empty value as absent', () => {
    const head = createHead();
    const a = head.getOrCreate({ __name__: 'up', job: 'api' });
    expect(head.getOrCreate({ __name__: 'up', job: 'api', env: '' })).toBe(a);
    expect(head.labels(a)).toEqual({ __name__: 'up', job: 'api' });
  });

  it('stores labels sorted, frozen, with one string instance per value', () => {
    const head = createHead();
    const long = 'a-fairly-long-label-value-0123456789';
    const body = `xx${long}yy`;
    const a = head.getOrCreate({ z: body.slice(2, -2), __name__: 'm', a: '1' });
    const b = head.getOrCreate({ z: `${body.slice(2, 10)}${body.slice(10, -2)}`, __name__: 'n' });
    expect(Object.keys(head.labels(a))).toEqual(['__name__', 'a', 'z']);
    expect(Object.isFrozen(head.labels(a))).toBe(true);
    expect(head.labels(a).z).toBe(long);
    expect(head.labels(b).z).toBe(long);
  });

  it('keeps a label named __proto__ and never reads inherited properties', () => {
    const head = createHead();
    const labels = Object.fromEntries([
      ['__name__', 'm'],
      ['__proto__', 'p'],
    ]);
    const ref = head.getOrCreate(labels);
    expect(Object.hasOwn(head.labels(ref), '__proto__')).toBe(true);
    expect(head.select([{ name: '__proto__', type: '=', value: 'p' }])).toHaveLength(1);
    expect(head.select([{ name: 'toString', type: '=', value: '' }])).toHaveLength(1);
  });

  it('throws on an unknown ref', () => {
    const head = createHead();
    expect(() => head.append(42, T0, 1)).toThrow(RangeError);
    expect(() => head.labels(42)).toThrow(/unknown series ref 42/);
    expect(head.samples(42, 0, T0).length).toBe(0);
  });
});

describe('select', () => {
  it('matches = and != and returns Prometheus label order', () => {
    const { head } = seeded();
    expect(
      names(head.select([{ name: '__name__', type: '=', value: 'http_requests_total' }])),
    ).toEqual([
      '__name__=http_requests_total,job=api,status=200',
      '__name__=http_requests_total,job=api,status=500',
      '__name__=http_requests_total,job=web,status=200',
    ]);
    expect(
      names(
        head.select([
          { name: '__name__', type: '=', value: 'http_requests_total' },
          { name: 'status', type: '!=', value: '200' },
        ]),
      ),
    ).toEqual(['__name__=http_requests_total,job=api,status=500']);
  });

  it('orders a shorter label set before a longer one with the same prefix', () => {
    const head = createHead();
    head.getOrCreate({ __name__: 'm', a: '1', b: '2' });
    head.getOrCreate({ __name__: 'm', a: '1' });
    head.getOrCreate({ __name__: 'm', aa: '0' });
    head.getOrCreate({ __name__: 'l', z: '9' });
    expect(names(head.select([{ name: '__name__', type: '=~', value: '.+' }]))).toEqual([
      '__name__=l,z=9',
      '__name__=m,a=1',
      '__name__=m,a=1,b=2',
      '__name__=m,aa=0',
    ]);
  });

  it('lets matchers on the empty string match series without the label', () => {
    const { head, refs } = seeded();
    const up = { name: '__name__', type: '=', value: 'up' } as const;
    const pick = (m: Parameters<MemoryHead['select']>[0]) => head.select(m).map((v) => v.ref);
    expect(pick([up, { name: 'env', type: '=', value: '' }])).toEqual([refs.d]);
    expect(pick([up, { name: 'env', type: '!=', value: 'prod' }])).toEqual([refs.d]);
    expect(pick([up, { name: 'env', type: '=~', value: '.*' }]).sort()).toEqual(
      [refs.d, refs.e].sort(),
    );
    expect(pick([up, { name: 'env', type: '=~', value: 'prod|' }]).sort()).toEqual(
      [refs.d, refs.e].sort(),
    );
    expect(pick([up, { name: 'env', type: '!~', value: 'dev' }]).sort()).toEqual(
      [refs.d, refs.e].sort(),
    );
    expect(pick([up, { name: 'env', type: '!=', value: '' }])).toEqual([refs.e]);
    expect(pick([up, { name: 'env', type: '=~', value: '.+' }])).toEqual([refs.e]);
    expect(pick([up, { name: 'env', type: '!~', value: '' }])).toEqual([refs.e]);
    expect(pick([{ name: 'env', type: '=', value: '' }])).toHaveLength(4);
    expect(pick([{ name: 'nope', type: '=', value: '' }])).toHaveLength(5);
    expect(pick([])).toHaveLength(5);
  });

  it('anchors regexes and uses literal sets', () => {
    const { head, refs } = seeded();
    const pick = (value: string) =>
      head.select([{ name: 'status', type: '=~', value }]).map((v) => v.ref);
    expect(pick('5..')).toEqual([refs.b]);
    expect(pick('0')).toEqual([]);
    expect(pick('20')).toEqual([]);
    expect(pick('200|500')).toEqual([refs.a, refs.b, refs.c]);
    expect(pick('(?i)200')).toEqual([refs.a, refs.c]);
  });

  it('returns nothing for an unknown label or value', () => {
    const { head } = seeded();
    expect(head.select([{ name: 'job', type: '=', value: 'db' }])).toEqual([]);
    expect(head.select([{ name: 'zone', type: '=~', value: '.+' }])).toEqual([]);
  });

  it('throws on an invalid regex', () => {
    const { head } = seeded();
    expect(() => head.select([{ name: 'job', type: '=~', value: '(' }])).toThrow(
      /invalid regular expression/,
    );
  });

  it('lists label names and values sorted', () => {
    const { head } = seeded();
    expect(head.labelNames()).toEqual(['__name__', 'env', 'job', 'status']);
    expect(head.labelValues('job')).toEqual(['api', 'web']);
    expect(head.labelValues('nope')).toEqual([]);
  });
});

describe('samples', () => {
  it('reads a left-open window', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    for (let i = 1; i <= 5; i++) head.append(ref, T0 + i * 1000, i);
    const run = head.samples(ref, T0 + 1000, T0 + 4000);
    expect(Array.from(run.t)).toEqual([T0 + 2000, T0 + 3000, T0 + 4000]);
    expect(Array.from(run.v)).toEqual([2, 3, 4]);
    expect(head.samples(ref, T0 + 5000, T0 + 9000).length).toBe(0);
    expect(head.samples(ref, T0 + 4000, T0 + 4000).length).toBe(0);
    expect(head.samples(ref, T0, T0 + 1000).length).toBe(1);
    expect(head.lastSample(ref)).toEqual({ t: T0 + 5000, v: 5 });
  });

  it('reads across chunk boundaries and block growth', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    const n = 1000;
    for (let i = 0; i < n; i++) expect(head.append(ref, T0 + i * 15_000, i)).toBe('ok');
    const all = head.samples(ref, T0 - 1, T0 + n * 15_000);
    expect(all.length).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(all.t[i]).toBe(T0 + i * 15_000);
      expect(all.v[i]).toBe(i);
    }
    const mid = head.samples(ref, T0 + 230 * 15_000, T0 + 490 * 15_000);
    expect(mid.length).toBe(260);
    expect(mid.v[0]).toBe(231);
    expect(mid.v[259]).toBe(490);
  });

  it('rejects out-of-order and duplicate samples and stays intact', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    expect(head.append(ref, T0 + 2000, 2)).toBe('ok');
    expect(head.append(ref, T0 + 1000, 1)).toBe('out-of-order');
    expect(head.append(ref, T0 + 2000, 3)).toBe('duplicate');
    expect(head.append(ref, T0 + 3000, 4)).toBe('ok');
    const run = head.samples(ref, 0, T0 + 9000);
    expect(Array.from(run.v)).toEqual([2, 4]);
    const s = head.stats();
    expect(s.outOfOrder).toBe(1);
    expect(s.duplicates).toBe(1);
    expect(s.samples).toBe(2);
  });

  it('refuses a non-integer time without storing anything', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    expect(() => head.append(ref, 1.5, 1)).toThrow(RangeError);
    head.append(ref, T0, 1);
    expect(() => head.append(ref, T0 + 0.5, 1)).toThrow(RangeError);
    expect(() => head.append(ref, Number.NaN, 1)).toThrow(RangeError);
    expect(head.samples(ref, 0, T0 + 1).length).toBe(1);
  });

  it('starts a new chunk when a gap overflows the time delta', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    const gap = 60 * 24 * 3600 * 1000; // 60 days > 2^32 ms
    head.append(ref, T0, 1);
    head.append(ref, T0 + gap, 2);
    head.append(ref, T0 + gap + 1, 3);
    const run = head.samples(ref, 0, T0 + 2 * gap);
    expect(Array.from(run.t)).toEqual([T0, T0 + gap, T0 + gap + 1]);
  });

  it('keeps the staleness marker through storage, hot loops included', () => {
    const head = createHead();
    const ref = head.getOrCreate({ __name__: 'm' });
    const n = 50_000;
    for (let i = 0; i < n; i++) head.append(ref, T0 + i, i % 3 === 0 ? STALE_NAN : Number.NaN);
    const run = head.samples(ref, T0 - 1, T0 + n);
    expect(run.length).toBe(n);
    let stale = 0;
    let plain = 0;
    for (let i = 0; i < n; i++) {
      if (isStaleNaN(run.v[i])) stale++;
      else if (Number.isNaN(run.v[i])) plain++;
    }
    expect(stale).toBe(Math.ceil(n / 3));
    expect(plain).toBe(n - stale);
    head.append(ref, T0 + n, STALE_NAN);
    expect(isStaleNaN(head.lastSample(ref)!.v)).toBe(true);
    expect(isStaleNaN(head.samples(ref, T0 + n - 1, T0 + n).v[0])).toBe(true);
  });
});

describe('retention', () => {
  it('drops old samples and the series left with none', () => {
    const head = createHead();
    const old = head.getOrCreate({ __name__: 'm', k: 'old' });
    const live = head.getOrCreate({ __name__: 'm', k: 'live' });
    for (let i = 0; i < 600; i++) {
      head.append(live, T0 + i * 1000, i);
      if (i < 100) head.append(old, T0 + i * 1000, i);
    }
    const epoch = head.seriesEpoch;
    head.truncate(T0 + 300_500);
    expect(head.seriesEpoch).toBe(epoch + 1);
    expect(head.seriesCount).toBe(1);
    expect(head.has({ __name__: 'm', k: 'old' })).toBe(false);
    expect(head.labelValues('k')).toEqual(['live']);
    expect(() => head.append(old, T0 + 700_000, 1)).toThrow(RangeError);
    const run = head.samples(live, 0, T0 + 1e9);
    expect(run.length).toBe(299);
    expect(run.t[0]).toBe(T0 + 301_000);
    expect(head.cursor(live, 0, T0 + 1e9).next()).toBe(true);
    const s = head.stats();
    // Whole chunks are dropped (120 samples each); reads stop at the cutoff.
    expect(s.samples).toBe(360);
    expect(s.oldestMs).toBe(T0 + 300_500);
    expect(s.newestMs).toBe(T0 + 599_000);
    // Before the cutoff is refused for a series that comes back.
    const back = head.getOrCreate({ __name__: 'm', k: 'old' });
    expect(back).not.toBe(old);
    expect(head.append(back, T0, 1)).toBe('out-of-order');
    expect(head.stats().tooOld).toBe(1);
  });

  it('applies its retention window', () => {
    const head = createHead({ retentionMs: 60_000 });
    const ref = head.getOrCreate({ __name__: 'm' });
    for (let i = 0; i <= 120; i++) head.append(ref, T0 + i * 1000, i);
    head.applyRetention(T0 + 120_000);
    const run = head.samples(ref, 0, T0 + 1e9);
    expect(run.t[0]).toBe(T0 + 60_000);
    head.applyRetention(T0 + 1e9);
    expect(head.seriesCount).toBe(0);
    expect(head.labelNames()).toEqual([]);
    expect(head.stats()).toMatchObject({ series: 0, samples: 0, oldestMs: null, newestMs: null });
  });

  it('rejects a nonsense retention or cutoff', () => {
    expect(() => createHead({ retentionMs: 0 })).toThrow(/retentionMs/);
    expect(() => createHead().truncate(Number.NaN)).toThrow(RangeError);
  });

  it('frees the blocks of dropped chunks for reuse', () => {
    const head = createHead({ retentionMs: 3_600_000 });
    const refs = Array.from({ length: 200 }, (_, i) =>
      head.getOrCreate({ __name__: 'm', i: `${i}` }),
    );
    let peak = 0;
    // Ten hours at 15 s with one hour kept: memory must level off, not grow with time.
    for (let k = 0; k < 2400; k++) {
      const t = T0 + k * 15_000;
      for (const ref of refs) head.append(ref, t, k);
      if (k % 40 === 0) {
        head.applyRetention(t);
        if (k === 1200) peak = head.stats().chunkBytes;
      }
    }
    const end = head.stats();
    expect(end.series).toBe(200);
    // Sealed chunks are freed a 64 KiB page at a time: one page of slack; and a list moves
    // through a new slot before its old one is freed, so one more slot of a list's size.
    expect(end.chunkBytes).toBeLessThanOrEqual(peak + PAGE_BYTES + 2048);
    // An hour, the scrapes between truncations, and the straddling chunk.
    expect(end.samples).toBeLessThanOrEqual(200 * (240 + 40 + 120));
  });
});

describe('stats', () => {
  it('reports plausible memory figures', () => {
    const head = createHead();
    for (let s = 0; s < 500; s++) {
      const ref = head.getOrCreate({
        __name__: 'http_requests_total',
        service: 'efile',
        instance: `10.0.0.${s % 50}:8080`,
        status: String(200 + (s % 10)),
        path: `/api/v1/things/${s}`,
      });
      for (let i = 0; i < 480; i++) head.append(ref, T0 + i * 15_000, i);
    }
    const s = head.stats();
    expect(s.series).toBe(500);
    expect(s.samples).toBe(500 * 480);
    expect(s.memorySamples).toBe(500 * 480);
    // A counter rising by one every 15 s: a bit of time and ~13 bits of value a sample.
    expect(s.bytesPerSample).toBeGreaterThan(1);
    expect(s.bytesPerSample).toBeLessThan(4);
    expect(s.bytesPerSeries).toBeGreaterThan(200);
    expect(s.bytesPerSeries).toBeLessThan(3000);
    expect(s.bytes).toBe(Math.round(s.bytes));
  });
});
