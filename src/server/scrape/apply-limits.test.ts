import { describe, expect, it } from 'vitest';
import { checkLabelLimits, checkSampleLimit, hasLabelLimits } from './apply-limits.js';
import type { ScrapeLimits } from './target-config.js';

const none: ScrapeLimits = {
  bodySizeLimit: 0,
  sampleLimit: 0,
  seriesLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
};

describe('scrape limits', () => {
  it('0 means no limit', () => {
    expect(() => checkSampleLimit(1e9, none)).not.toThrow();
    expect(hasLabelLimits(none)).toBe(false);
    expect(() => checkLabelLimits({ __name__: 'x'.repeat(1000) }, none)).not.toThrow();
  });

  it('counts samples', () => {
    const limits = { ...none, sampleLimit: 10 };
    expect(() => checkSampleLimit(10, limits)).not.toThrow();
    expect(() => checkSampleLimit(11, limits)).toThrow('sample limit 10 exceeded: 11 samples');
  });

  it('counts labels with __name__', () => {
    const limits = { ...none, labelLimit: 2 };
    expect(() => checkLabelLimits({ __name__: 'm', a: '1' }, limits)).not.toThrow();
    expect(() => checkLabelLimits({ __name__: 'm', a: '1', b: '2' }, limits)).toThrow(
      'label limit 2 exceeded: series m has 3 labels',
    );
  });

  it('measures names and values in UTF-8 bytes', () => {
    const limits = { ...none, labelNameLengthLimit: 8, labelValueLengthLimit: 4 };
    expect(() => checkLabelLimits({ __name__: 'm', abc: 'abcd' }, limits)).not.toThrow();
    expect(() => checkLabelLimits({ __name__: 'm', abc: 'ééé' }, limits)).toThrow(
      'label value length limit 4 exceeded: label abc of series m is 6 bytes',
    );
    expect(() => checkLabelLimits({ __name__: 'm', long_name: 'a' }, limits)).toThrow(
      'label name length limit 8 exceeded: label long_name of series m is 9 bytes',
    );
  });
});
