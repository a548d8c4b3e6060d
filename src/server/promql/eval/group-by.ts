/** Aggregation grouping: each series' group key and output labels, computed once per series. */
import type { Labels } from '../../model/model.js';
import { labelsKey, NAME } from './label-set.js';

/** The output labels of an aggregation group: `by` keeps the listed labels, `without` the rest. */
export function groupLabels(
  labels: Labels,
  grouping: readonly string[],
  without: boolean,
  nameDropped = false,
): Labels {
  const out: Record<string, string> = {};
  if (without) {
    const skip = new Set(grouping);
    skip.add(NAME);
    for (const k in labels) if (!skip.has(k)) out[k] = labels[k];
  } else {
    for (const k of grouping) {
      if (nameDropped && k === NAME) continue;
      const v = labels[k];
      if (v !== undefined && v !== '') out[k] = v;
    }
  }
  return out;
}

export interface Groups {
  /** Group index of each input series. */
  readonly of: Int32Array;
  /** Output labels of each group, in order of first appearance. */
  readonly labels: Labels[];
  /** Input series indices of each group. */
  readonly members: number[][];
}

/** Assigns every series to its group. */
export function groupSeries(
  all: readonly { labels: Labels; dropName?: boolean }[],
  grouping: readonly string[],
  without: boolean,
): Groups {
  const of = new Int32Array(all.length);
  const labels: Labels[] = [];
  const members: number[][] = [];
  const index = new Map<string, number>();
  all.forEach((s, k) => {
    const gl = groupLabels(s.labels, grouping, without, s.dropName === true);
    const key = labelsKey(gl);
    let g = index.get(key);
    if (g === undefined) {
      g = labels.length;
      index.set(key, g);
      labels.push(gl);
      members.push([]);
    }
    of[k] = g;
    members[g].push(k);
  });
  return { of, labels, members };
}
