/** Plans a selector over the postings: narrowest postings first, then per-series checks. */

import type { CompiledMatcher } from '../model/label-matcher.js';
import type { Labels } from '../model/model.js';
import { labelValue } from './label-interner.js';
import type { Postings } from './postings.js';
import { intersect, unionDisjoint } from './postings-ops.js';

interface Narrowing {
  readonly matcher: CompiledMatcher;
  readonly lists: (readonly number[])[];
  /** How many refs the lists hold together: the matcher's selectivity. */
  readonly size: number;
}

/**
 * Refs of the series satisfying every matcher, ascending.
 *
 * Matchers that cannot match an absent label (`job="api"`, `status=~"5.."`) narrow through
 * their postings, smallest first. The rest (`job!="api"`, `env=""`) also match series
 * without the label, so they are checked against each remaining series' labels, after the
 * narrowing; with none of the first kind, every series is a candidate.
 */
export function selectRefs(
  postings: Postings,
  labelsOf: (ref: number) => Labels,
  matchers: readonly CompiledMatcher[],
): ArrayLike<number> {
  const narrowing: Narrowing[] = [];
  const checks: CompiledMatcher[] = [];
  for (const m of matchers) {
    if (m.matchesAll) continue;
    if (m.matchesEmpty) {
      checks.push(m);
      continue;
    }
    const values = postings.values(m.name);
    if (values === undefined) return [];
    const lists: (readonly number[])[] = [];
    let size = 0;
    if (m.literals !== null) {
      for (const v of m.literals) {
        const list = values.get(v);
        if (list !== undefined) {
          lists.push(list);
          size += list.length;
        }
      }
    } else {
      for (const [v, list] of values) {
        if (m.matches(v)) {
          lists.push(list);
          size += list.length;
        }
      }
    }
    if (size === 0) return [];
    narrowing.push({ matcher: m, lists, size });
  }

  let refs: ArrayLike<number>;
  if (narrowing.length === 0) {
    refs = postings.allRefs;
  } else {
    narrowing.sort((a, b) => a.size - b.size);
    refs = unionDisjoint(narrowing[0].lists);
    for (let i = 1; i < narrowing.length && refs.length > 0; i++) {
      const n = narrowing[i];
      // Merging a huge list to keep a handful of candidates costs more than asking them.
      if (n.size > refs.length * 8) checks.push(n.matcher);
      else refs = intersect(refs, unionDisjoint(n.lists));
    }
  }
  for (const m of checks) {
    if (refs.length === 0) break;
    const kept: number[] = [];
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      if (m.matches(labelValue(labelsOf(ref), m.name))) kept.push(ref);
    }
    refs = kept;
  }
  return refs;
}
