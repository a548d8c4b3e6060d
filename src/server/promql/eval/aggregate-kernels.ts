/** Per-step accumulation for sum, avg, min, max, count, group, stddev and stdvar, as Prometheus. */
import type { AggregateOp } from '../ast.js';

/** Kahan–Neumaier summation step: the new sum and compensation. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** The running state of one group over all steps. */
export class GroupAccumulator {
  readonly seen: Uint8Array;
  private readonly value: Float64Array;
  private readonly comp: Float64Array;
  private readonly count: Float64Array;
  private readonly mean: Float64Array;
  private readonly incremental: Uint8Array;

  constructor(
    private readonly op: AggregateOp,
    n: number,
  ) {
    this.seen = new Uint8Array(n);
    this.value = new Float64Array(n);
    this.comp = new Float64Array(n);
    this.count = new Float64Array(n);
    this.mean = new Float64Array(n);
    this.incremental = new Uint8Array(n);
  }

  /** Adds sample value `v` at step `i`. */
  add(i: number, v: number): void {
    if (!this.seen[i]) {
      this.seen[i] = 1;
      this.count[i] = 1;
      this.value[i] =
        this.op === 'stddev' || this.op === 'stdvar' ? (Number.isFinite(v) ? 0 : Number.NaN) : v;
      this.mean[i] = v;
      this.comp[i] = 0;
      return;
    }
    this.count[i]++;
    switch (this.op) {
      case 'sum': {
        const [s, c] = kahanSumInc(v, this.value[i], this.comp[i]);
        this.value[i] = s;
        this.comp[i] = c;
        return;
      }
      case 'avg':
        this.addAvg(i, v);
        return;
      case 'min':
        if (this.value[i] > v || Number.isNaN(this.value[i])) this.value[i] = v;
        return;
      case 'max':
        if (this.value[i] < v || Number.isNaN(this.value[i])) this.value[i] = v;
        return;
      case 'stddev':
      case 'stdvar': {
        const delta = v - this.mean[i];
        this.mean[i] += delta / this.count[i];
        this.value[i] += delta * (v - this.mean[i]);
        return;
      }
      default:
        return;
    }
  }

  private addAvg(i: number, v: number): void {
    const count = this.count[i];
    if (!this.incremental[i]) {
      const [s, c] = kahanSumInc(v, this.value[i], this.comp[i]);
      if (Number.isFinite(s) || Number.isNaN(s)) {
        this.value[i] = s;
        this.comp[i] = c;
        return;
      }
      this.incremental[i] = 1;
      this.mean[i] = this.value[i] / (count - 1);
      this.comp[i] /= count - 1;
    }
    const mean = this.mean[i];
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) return;
      if (Number.isFinite(v)) return;
    }
    const current = mean + this.comp[i];
    const [m, c] = kahanSumInc(v / count - current / count, mean, this.comp[i]);
    this.mean[i] = m;
    this.comp[i] = c;
  }

  /** The group's result at step `i` (only where `seen[i]`). */
  result(i: number): number {
    switch (this.op) {
      case 'sum':
        return this.value[i] + this.comp[i];
      case 'avg':
        if (this.incremental[i]) return this.mean[i] + this.comp[i];
        return this.value[i] / this.count[i] + this.comp[i] / this.count[i];
      case 'count':
        return this.count[i];
      case 'group':
        return 1;
      case 'stdvar':
        return this.value[i] / this.count[i];
      case 'stddev':
        return Math.sqrt(this.value[i] / this.count[i]);
      default:
        return this.value[i];
    }
  }
}
