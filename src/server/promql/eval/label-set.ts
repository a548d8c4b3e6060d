/** Label-set helpers: canonical keys, ordering, match signatures and Prometheus's label printing. */
import { labelsText } from '../../model/label-text.js';
import type { Labels } from '../../model/model.js';

export const NAME = '__name__';

/** A canonical string for a label set; equal sets give equal keys. */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let s = '';
  for (const k of keys) s += `${k}\u0001${labels[k]}\u0002`;
  return s;
}

/** The label set without `__name__` (the same object when it has none). */
export function dropName(labels: Labels): Labels {
  if (!(NAME in labels)) return labels;
  const out: Record<string, string> = {};
  for (const k in labels) if (k !== NAME) out[k] = labels[k];
  return out;
}

/** Orders label sets as Prometheus does: pairs by name then value, shorter first on a tie. */
export function compareLabels(a: Labels, b: Labels): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const va = a[ka[i]];
    const vb = b[kb[i]];
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return ka.length - kb.length;
}

/**
 * The key vector matching compares: only the `on` labels, or every label but `__name__`
 * and the `ignoring` ones.
 */
export function matchKey(labels: Labels, on: boolean, names: readonly string[]): string {
  if (on) {
    let s = '';
    for (const k of [...names].sort()) {
      const v = labels[k];
      if (v !== undefined && v !== '') s += `${k}\u0001${v}\u0002`;
    }
    return s;
  }
  const skip = new Set(names);
  skip.add(NAME);
  let s = '';
  for (const k of Object.keys(labels).sort()) {
    if (!skip.has(k)) s += `${k}\u0001${labels[k]}\u0002`;
  }
  return s;
}

/** The labels matching looks at, as a label set (for error messages). */
export function matchLabels(labels: Labels, on: boolean, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  if (on) {
    for (const k of names) if (labels[k] !== undefined && labels[k] !== '') out[k] = labels[k];
    return out;
  }
  const skip = new Set(names);
  skip.add(NAME);
  for (const k in labels) if (!skip.has(k)) out[k] = labels[k];
  return out;
}

/** Prints a label set as Prometheus does: `{__name__="x", job="a"}`, names sorted. */
export function formatLabels(labels: Labels): string {
  return labelsText(labels, ', ');
}
