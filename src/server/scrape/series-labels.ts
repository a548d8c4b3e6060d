/** The label set a scraped sample is stored under: its own labels, the target's labels, and `__name__`. */
import type { Labels } from '../model/model.js';
import type { ExpositionSample } from './exposition/exposition-types.js';
import { parseExposition } from './exposition/parse-exposition.js';

/**
 * Merges a sample's labels with the target labels the way Prometheus does with
 * `honor_labels: false`: the target wins, and a scraped label it displaces is kept as
 * `exported_<name>` (`exported_exported_<name>` if that is taken too). Empty values mean
 * "no label" and are dropped.
 *
 * @example
 * ```ts
 * storedLabels('up', { job: 'node' }, { job: 'efile', instance: 'a:80' });
 * // { exported_job: 'node', job: 'efile', instance: 'a:80', __name__: 'up' }
 * ```
 */
export function storedLabels(name: string, scraped: Labels, target: Labels): Labels {
  const out: Record<string, string> = {};
  let clashes: string[] | undefined;
  for (const k in scraped) {
    const v = scraped[k];
    if (v === '') continue;
    if (Object.hasOwn(target, k)) (clashes ??= []).push(k);
    else out[k] = v;
  }
  for (const k in target) out[k] = target[k];
  if (clashes) {
    // Shorter names first, as Prometheus does, so `job` claims `exported_job` before `exported_job` does.
    clashes.sort((a, b) => a.length - b.length);
    for (const k of clashes) {
      let renamed = `exported_${k}`;
      while (Object.hasOwn(out, renamed)) renamed = `exported_${renamed}`;
      out[renamed] = scraped[k];
    }
  }
  out.__name__ = name;
  return out;
}

/**
 * A sample's own labels, read again from its series text when the parser skipped them because
 * the series was known (`ParseOptions.knownSeries`). Rare: only a series the store dropped under
 * retention while its target still exposes it needs this.
 *
 * @example
 * ```ts
 * sampleLabels({ name: 'up', labels: {}, value: 1, series: 'up{job="a"}' }); // { job: 'a' }
 * ```
 */
export function sampleLabels(s: ExpositionSample): Labels {
  if (s.series === s.name || Object.keys(s.labels).length > 0) return s.labels;
  return parseExposition(`${s.series} 0\n`).samples[0]?.labels ?? s.labels;
}
