/** Prometheus's label-set hash (XXH64 of `name\xffvalue\xff…`), which limit_ratio samples by. */
import type { Labels } from '../../model/model.js';

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint): bigint => mul(rotl(add(acc, mul(lane, P2)), 31n), P1);
const merge = (acc: bigint, v: bigint): bigint => add(mul(acc ^ round(0n, v), P1), P4);

function u64(b: Uint8Array, at: number): bigint {
  const view = new DataView(b.buffer, b.byteOffset + at, 8);
  return view.getBigUint64(0, true);
}

/**
 * XXH64 with seed 0, the hash Go's `cespare/xxhash` computes.
 * @example
 * xxhash64(new TextEncoder().encode('abc')).toString(16); // '44bc2cf5ad770999'
 */
export function xxhash64(b: Uint8Array): bigint {
  const len = b.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = add(P1, P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = P5;
  }
  h = add(h, BigInt(len));
  for (; i + 8 <= len; i += 8) h = add(mul(rotl(h ^ round(0n, u64(b, i)), 27n), P1), P4);
  if (i + 4 <= len) {
    const word = BigInt(new DataView(b.buffer, b.byteOffset + i, 4).getUint32(0, true));
    h = add(mul(rotl(h ^ mul(word, P1), 23n), P2), P3);
    i += 4;
  }
  for (; i < len; i++) h = mul(rotl(h ^ mul(BigInt(b[i]), P5), 11n), P1);
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  h ^= h >> 32n;
  return h;
}

const encoder = new TextEncoder();

/**
 * Prometheus's `Labels.Hash()`: XXH64 of each label, sorted by name, as `name 0xff value 0xff`.
 * @example
 * labelsHash({ __name__: 'up', job: 'a' }); // the same uint64 Prometheus computes
 */
export function labelsHash(labels: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const name of Object.keys(labels).sort()) {
    for (const text of [name, labels[name]]) {
      const bytes = encoder.encode(text);
      parts.push(bytes, SEPARATOR);
      size += bytes.length + 1;
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return xxhash64(all);
}

const SEPARATOR = new Uint8Array([0xff]);
