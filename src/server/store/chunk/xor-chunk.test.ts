import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../../model/model.js';
import { fromBits, HI, highBits, LO, lowBits } from './float-bits.js';
import { decodeWindow, XorDecoder } from './xor-decoder.js';
import { MAX_CHUNK_SPAN_MS, MAX_SAMPLE_BITS, XorEncoder } from './xor-encoder.js';

/** Values that stress the XOR coding: NaNs with payloads, zeros of both signs, extremes. */
const SPECIAL = [
  STALE_NAN,
  Number.NaN,
  fromBits(0x7ff80000, 1), // a quiet NaN with a payload
  fromBits(0xfff00000, 7), // a negative signalling NaN
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  1,
  2 ** 53,
];

const value = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.double(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.tuple(fc.integer(), fc.integer()).map(([hi, lo]) => fromBits(hi, lo)),
);

const step = fc.oneof(
  fc.constant(15_000),
  fc.integer({ min: 14_990, max: 15_010 }),
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 1, max: 2 ** 22 }),
);

interface Encoded {
  readonly u8: Uint8Array;
  readonly count: number;
  readonly t0: number;
}

function encode(t0: number, steps: readonly number[], values: readonly number[]): Encoded {
  const u8 = new Uint8Array(8 + (steps.length * MAX_SAMPLE_BITS) / 8 + 16);
  const enc = new XorEncoder();
  enc.begin(u8, 4, u8.length - 4, t0, highBits(values[0]), lowBits());
  let rel = 0;
  for (let i = 0; i < steps.length; i++) {
    expect(enc.hasRoom).toBe(true);
    rel += steps[i];
    expect(rel).toBeLessThanOrEqual(MAX_CHUNK_SPAN_MS);
    enc.append(rel, highBits(values[i + 1]), lowBits());
  }
  return { u8, count: enc.count, t0 };
}

function bitsOf(v: number): [number, number] {
  return [highBits(v), lowBits()];
}

describe('XOR chunks', () => {
  it('round-trip every time and every value bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.array(fc.tuple(step, value), { maxLength: 130 }),
        value,
        (t0, rest, first) => {
          const steps = rest.map(([s]) => s);
          const values = [first, ...rest.map(([, v]) => v)];
          const { u8, count } = encode(t0, steps, values);
          expect(count).toBe(values.length);
          const dec = new XorDecoder();
          dec.reset(u8, 4, count, t0);
          let t = t0;
          for (let i = 0; i < values.length; i++) {
            expect(dec.next()).toBe(true);
            if (i > 0) t += steps[i - 1];
            expect(dec.t).toBe(t);
            expect([dec.vHi, dec.vLo]).toEqual(bitsOf(values[i]));
          }
          expect(dec.next()).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes a window into columns, NaN payloads kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60_000 }), value), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.integer({ min: -10, max: 4_000_000 }),
        fc.integer({ min: 0, max: 4_000_000 }),
        (samples, mintOffset, span) => {
          const t0 = 1_700_000_000_000;
          const steps = samples.slice(1).map(([s]) => s);
          const values = samples.map(([, v]) => v);
          const { u8, count } = encode(t0, steps, values);
          const times: number[] = [t0];
          for (const s of steps) times.push(times[times.length - 1] + s);
          const mint = t0 + mintOffset;
          const maxt = mint + span;
          const want = times.flatMap((x, i) => (x > mint && x <= maxt ? [i] : []));
          const t = new Float64Array(count + 2);
          const v = new Float64Array(count + 2);
          const v32 = new Uint32Array(v.buffer);
          const n = decodeWindow(u8, 4, count, t0, mint, maxt, t, v32, 1);
          expect(n).toBe(want.length);
          want.forEach((i, k) => {
            expect(t[1 + k]).toBe(times[i]);
            expect([v32[2 * (1 + k) + HI] | 0, v32[2 * (1 + k) + LO] | 0]).toEqual(
              bitsOf(values[i]),
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never changes the bits of samples already written', () => {
    const u8 = new Uint8Array(4096);
    const enc = new XorEncoder();
    enc.begin(u8, 0, u8.length, 0, ...bitsOf(1));
    const snapshots: Uint8Array[] = [];
    for (let i = 1; i < 120; i++) {
      snapshots.push(u8.slice(0, enc.bits >>> 3));
      enc.append(i * 15_000 + (i % 7), ...bitsOf(Math.sin(i)));
      expect(enc.lastT).toBe(i * 15_000 + (i % 7));
    }
    // Whole bytes written before each append are unchanged at the end.
    for (const snap of snapshots) expect(u8.subarray(0, snap.length)).toEqual(snap);
  });

  it('packs a steady counter into a couple of bytes a sample', () => {
    const u8 = new Uint8Array(4096);
    const enc = new XorEncoder();
    enc.begin(u8, 0, u8.length, 0, ...bitsOf(1000));
    let total = 1000;
    for (let i = 1; i < 120; i++) {
      total += 3 + (i % 5);
      enc.append(i * 15_000, ...bitsOf(total));
    }
    expect(enc.byteLength / enc.count).toBeLessThan(2);
    const gauge = new XorEncoder();
    gauge.begin(new Uint8Array(4096), 0, 4096, 0, ...bitsOf(1));
    for (let i = 1; i < 120; i++) gauge.append(i * 15_000, ...bitsOf(1));
    // The first step (20 bits of time, 1 of value), then one bit of time and one of value.
    expect(gauge.byteLength).toBe(8 + Math.ceil((21 + 118 * 2) / 8));
  });
});
