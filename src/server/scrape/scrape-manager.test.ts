/** How the scrape manager reports a bad target list: field, reason and index as data. */
import { describe, expect, it } from 'vitest';
import { createHead } from '../store/index.js';
import { ScrapeManager } from './scrape-manager.js';
import { TargetConfigError } from './target-config.js';

function refusal(targets: ConstructorParameters<typeof ScrapeManager>[0]['targets']) {
  try {
    new ScrapeManager({ store: createHead(), targets });
  } catch (err) {
    if (err instanceof TargetConfigError) return err;
    throw err;
  }
  return expect.unreachable('the target list was accepted');
}

describe('ScrapeManager target checks', () => {
  it('places a bad field in the list, keeping the reason apart', () => {
    const err = refusal([{ url: 'http://a/m' }, { url: 'ftp://b/m' }]);
    expect(err.field).toBe('targets[1].url');
    expect(err.reason).toBe('"ftp://b/m" must use http: or https:');
    expect(err.target).toBe(1);
    expect(err.message).toBe('scrape target targets[1].url: "ftp://b/m" must use http: or https:');
    expect(err.cause).toBeInstanceOf(TargetConfigError);
  });

  it('names the repeated target and the first one like it', () => {
    const err = refusal([{ url: 'http://a/m' }, { url: 'http://a/m' }]);
    expect(err.field).toBe('targets[1]');
    expect(err.reason).toBe('same url and labels as targets[0]');
    expect(err.target).toBe(1);
  });
});
