import { describe, expect, it } from 'vitest';
import { sampleLabels, storedLabels } from './series-labels.js';

describe('storedLabels', () => {
  const target = { instance: 'a:80', job: 'efile', service: 'efile' };

  it('adds target labels and __name__', () => {
    expect(storedLabels('up', { code: '200' }, target)).toEqual({
      code: '200',
      instance: 'a:80',
      job: 'efile',
      service: 'efile',
      __name__: 'up',
    });
  });

  it('keeps clashing scraped labels as exported_<name>, prefixing again when taken', () => {
    expect(storedLabels('m', { job: 'node', exported_job: 'x', service: 's' }, target)).toEqual({
      exported_job: 'x',
      exported_exported_job: 'node',
      exported_service: 's',
      instance: 'a:80',
      job: 'efile',
      service: 'efile',
      __name__: 'm',
    });
  });

  it('drops empty scraped values', () => {
    expect(storedLabels('m', { a: '', job: '' }, target)).toEqual({ ...target, __name__: 'm' });
  });
});

describe('sampleLabels', () => {
  it('reads skipped labels back from the series text, escapes included', () => {
    const s = { name: 'a', labels: {}, value: 1, series: 'a{x="q\\"}",y="2"}' };
    expect(sampleLabels(s)).toEqual({ x: 'q"}', y: '2' });
  });

  it('returns labels that are there, and none for a bare name', () => {
    expect(sampleLabels({ name: 'a', labels: { x: '1' }, value: 1, series: 'a{x="1"}' })).toEqual({
      x: '1',
    });
    expect(sampleLabels({ name: 'up', labels: {}, value: 1, series: 'up' })).toEqual({});
  });
});
