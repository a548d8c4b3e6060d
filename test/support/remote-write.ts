/** Writes exact samples (staleness markers included, bit for bit) into a running Prometheus through its remote-write receiver. */
import type { Labels } from '../../src/server/model/model.js';

/** One series and its samples, in time order. */
export interface WrittenSeries {
  readonly labels: Labels;
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

function varint(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** A length-delimited protobuf field. */
function field(tag: number, body: readonly number[]): number[] {
  return [(tag << 3) | 2, ...varint(body.length), ...body];
}

function sampleBytes(t: number, v: number): number[] {
  // The value as its raw bits: a staleness marker's payload survives only this way.
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, v, true);
  return [(1 << 3) | 1, ...new Uint8Array(bits.buffer), (2 << 3) | 0, ...varint(t)];
}

/** The remote-write `WriteRequest` (prompb) for `series`, as protobuf. */
function writeRequest(series: readonly WrittenSeries[]): Uint8Array {
  const text = new TextEncoder();
  const out: number[] = [];
  for (const s of series) {
    const body: number[] = [];
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
      body.push(
        ...field(1, [...field(1, [...text.encode(name)]), ...field(2, [...text.encode(value)])]),
      );
    }
    for (const { t, v } of s.samples) body.push(...field(2, sampleBytes(t, v)));
    out.push(...field(1, body));
  }
  return Uint8Array.from(out);
}

/**
 * A snappy block holding `data` as literals only: valid snappy that any decoder reads, with no
 * compression (the receiver insists on the framing, not on smaller bytes).
 */
function snappyLiterals(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = varint(data.length);
  for (let at = 0; at < data.length; at += 65_536) {
    const piece = data.subarray(at, at + 65_536);
    const n = piece.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >> 8);
    out.push(...piece);
  }
  return new Uint8Array(out);
}

/**
 * POSTs `series` to `<url>/api/v1/write` (a Prometheus started with
 * `--web.enable-remote-write-receiver`); throws with Prometheus's answer when it refuses.
 *
 * @example
 * ```ts
 * await remoteWrite(prom.url, [{ labels: { __name__: 'up' }, samples: [{ t: Date.now(), v: 1 }] }]);
 * ```
 */
export async function remoteWrite(url: string, series: readonly WrittenSeries[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyLiterals(writeRequest(series)),
  });
  if (!res.ok) throw new Error(`remote write answered ${res.status}: ${await res.text()}`);
}
