/** The per-scrape limits of Prometheus: too many samples, or a series with too many or too long labels, fails the scrape. */
import type { Labels } from '../model/model.js';
import { ScrapeError } from './scrape-error.js';
import type { ScrapeLimits } from './target-config.js';

/**
 * Throws when a scrape holds more samples than `sampleLimit` (0 = no limit).
 *
 * @example
 * ```ts
 * checkSampleLimit(100_000, { sampleLimit: 1_000 } as ScrapeLimits); // throws "sample limit 1000 exceeded: 100000 samples"
 * ```
 */
export function checkSampleLimit(samples: number, limits: ScrapeLimits): void {
  if (limits.sampleLimit > 0 && samples > limits.sampleLimit) {
    throw new ScrapeError(
      'sample-limit',
      `sample limit ${limits.sampleLimit} exceeded: ${samples} samples`,
    );
  }
}

/** True when any label limit is set, so the common case skips the walk over labels. */
export function hasLabelLimits(limits: ScrapeLimits): boolean {
  return (
    limits.labelLimit > 0 || limits.labelNameLengthLimit > 0 || limits.labelValueLengthLimit > 0
  );
}

/** UTF-8 length, computed only when the UTF-16 length leaves the answer open. */
function overBytes(s: string, limit: number): number | undefined {
  if (s.length * 3 <= limit) return undefined;
  const n = Buffer.byteLength(s);
  return n > limit ? n : undefined;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Throws when one stored label set (with `__name__` and the target labels) breaks a label limit:
 * more labels than `labelLimit`, a name longer than `labelNameLengthLimit` or a value longer than
 * `labelValueLengthLimit` bytes. `__name__` counts, as in Prometheus.
 *
 * @example
 * ```ts
 * checkLabelLimits({ __name__: 'up', job: 'x' }, limits);
 * ```
 */
export function checkLabelLimits(labels: Labels, limits: ScrapeLimits): void {
  const { labelLimit, labelNameLengthLimit: nameMax, labelValueLengthLimit: valueMax } = limits;
  const metric = clip(labels.__name__ ?? '');
  if (labelLimit > 0) {
    const n = Object.keys(labels).length;
    if (n > labelLimit) {
      throw new ScrapeError(
        'label-limit',
        `label limit ${labelLimit} exceeded: series ${metric} has ${n} labels`,
      );
    }
  }
  if (nameMax === 0 && valueMax === 0) return;
  for (const name in labels) {
    const nameLen = nameMax > 0 ? overBytes(name, nameMax) : undefined;
    if (nameLen !== undefined) {
      throw new ScrapeError(
        'label-limit',
        `label name length limit ${nameMax} exceeded: label ${clip(name)} of series ${metric} is ${nameLen} bytes`,
      );
    }
    const valueLen = valueMax > 0 ? overBytes(labels[name], valueMax) : undefined;
    if (valueLen !== undefined) {
      throw new ScrapeError(
        'label-limit',
        `label value length limit ${valueMax} exceeded: label ${clip(name)} of series ${metric} is ${valueLen} bytes`,
      );
    }
  }
}
