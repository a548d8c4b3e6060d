/** Vector-to-vector binary operations: signatures, cardinality checks, set operators. */
import type { Labels } from '../../model/model.js';
import type { BinaryOp, VectorMatching } from '../ast.js';
import { PromqlError } from '../promql-error.js';
import { arith, compare, isComparison } from './binary-ops.js';
import { formatLabels, labelsKey, matchKey, matchLabels } from './label-set.js';
import type { SeriesCol } from './values.js';
import { newCol } from './values.js';

const DEFAULT_MATCHING: VectorMatching = {
  card: 'one-to-one',
  on: false,
  labels: [],
  include: [],
};

function copyCol(c: SeriesCol, mask: Uint8Array | undefined, invert: boolean): SeriesCol | null {
  const n = c.present.length;
  const out = newCol(c.labels, n, c.dropName);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!c.present[i]) continue;
    const m = mask ? mask[i] : 0;
    if (invert ? m : !m) continue;
    out.present[i] = 1;
    out.values[i] = c.values[i];
    any = true;
  }
  return any ? out : null;
}

/** Per signature, the steps where any series with it has a value. */
function presenceBySig(
  cols: readonly SeriesCol[],
  keys: readonly string[],
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  cols.forEach((c, k) => {
    let m = out.get(keys[k]);
    if (!m) out.set(keys[k], (m = new Uint8Array(c.present.length)));
    for (let i = 0; i < m.length; i++) m[i] |= c.present[i];
  });
  return out;
}

/** `and`, `or`, `unless`. */
function setOp(
  op: 'and' | 'or' | 'unless',
  lhs: readonly SeriesCol[],
  rhs: readonly SeriesCol[],
  m: VectorMatching,
): SeriesCol[] {
  const lk = lhs.map((c) => matchKey(c.labels, m.on, m.labels));
  const rk = rhs.map((c) => matchKey(c.labels, m.on, m.labels));
  const out: SeriesCol[] = [];
  if (op === 'and' || op === 'unless') {
    const rp = presenceBySig(rhs, rk);
    lhs.forEach((c, k) => {
      const r = copyCol(c, rp.get(lk[k]), op === 'unless');
      if (r) out.push(r);
    });
    return out;
  }
  const lp = presenceBySig(lhs, lk);
  for (const c of lhs) out.push(c);
  rhs.forEach((c, k) => {
    const r = copyCol(c, lp.get(rk[k]), true);
    if (r) out.push(r);
  });
  return out;
}

function resultLabels(many: Labels, one: Labels, m: VectorMatching): Labels {
  const out: Record<string, string> = { ...many };
  if (m.card === 'one-to-one') {
    if (m.on) {
      const keep = new Set(m.labels);
      for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
    } else {
      for (const k of m.labels) delete out[k];
    }
  }
  for (const k of m.include) {
    const v = one[k];
    if (v !== undefined && v !== '') out[k] = v;
    else delete out[k];
  }
  return out;
}

/**
 * A binary operation between two vectors, every step at once.
 * @throws PromqlError('execution') on duplicate series for a match group.
 */
export function vectorBinop(
  op: BinaryOp,
  lhs: readonly SeriesCol[],
  rhs: readonly SeriesCol[],
  matching: VectorMatching | undefined,
  returnBool: boolean,
  n: number,
): SeriesCol[] {
  const m = matching ?? DEFAULT_MATCHING;
  if (op === 'and' || op === 'or' || op === 'unless') return setOp(op, lhs, rhs, m);
  const swapped = m.card === 'one-to-many';
  const manySide = swapped ? rhs : lhs;
  const oneSide = swapped ? lhs : rhs;
  const groups = new Map<string, number[]>();
  oneSide.forEach((c, k) => {
    const key = matchKey(c.labels, m.on, m.labels);
    const g = groups.get(key);
    if (g) g.push(k);
    else groups.set(key, [k]);
  });
  // At each step a match group may hold one series on the "one" side.
  const pick = new Map<string, Int32Array>();
  for (const [key, g] of groups) {
    const chosen = new Int32Array(n).fill(-1);
    for (const k of g) {
      const p = oneSide[k].present;
      for (let i = 0; i < n; i++) {
        if (!p[i]) continue;
        if (chosen[i] >= 0) {
          const a = oneSide[chosen[i]].labels;
          const b = oneSide[k].labels;
          throw new PromqlError(
            'execution',
            `found duplicate series for the match group ${formatLabels(matchLabels(a, m.on, m.labels))} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${formatLabels(a)}, ${formatLabels(b)}];many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        }
        chosen[i] = k;
      }
    }
    pick.set(key, chosen);
  }
  const comparison = isComparison(op);
  const dropsName = !comparison || returnBool;
  const out = new Map<string, SeriesCol>();
  const matchedBySig = new Map<string, Uint8Array>();
  const labelCache = new Map<number, { labels: Labels; key: string }>();
  for (let mi = 0; mi < manySide.length; mi++) {
    const ms = manySide[mi];
    const sig = matchKey(ms.labels, m.on, m.labels);
    const chosen = pick.get(sig);
    if (!chosen) continue;
    let matched: Uint8Array | undefined;
    if (m.card === 'one-to-one') {
      matched = matchedBySig.get(sig);
      if (!matched) matchedBySig.set(sig, (matched = new Uint8Array(n)));
    }
    labelCache.clear();
    for (let i = 0; i < n; i++) {
      const oi = chosen[i];
      if (oi < 0 || !ms.present[i]) continue;
      if (matched) {
        if (matched[i]) {
          throw new PromqlError(
            'execution',
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matched[i] = 1;
      }
      const os = oneSide[oi];
      const fl = swapped ? os.values[i] : ms.values[i];
      const fr = swapped ? ms.values[i] : os.values[i];
      let value: number;
      if (comparison) {
        const keep = compare(op as never, fl, fr);
        if (returnBool) value = keep ? 1 : 0;
        else if (!keep) continue;
        else value = fl;
      } else {
        value = arith(op as never, fl, fr);
      }
      let rl = labelCache.get(oi);
      if (!rl) {
        const labels = resultLabels(ms.labels, os.labels, m);
        rl = { labels, key: labelsKey(labels) };
        labelCache.set(oi, rl);
      }
      let col = out.get(rl.key);
      if (!col) out.set(rl.key, (col = newCol(rl.labels, n, dropsName || ms.dropName)));
      else if (col.present[i]) {
        throw new PromqlError(
          'execution',
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      col.values[i] = value;
      col.present[i] = 1;
    }
  }
  return [...out.values()];
}
