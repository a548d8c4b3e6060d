/** Browser test of the lazily loaded announcer: the first change loads it, makes the page's one live region and speaks. */
import { expect, waitUntil } from '@open-wc/testing';
import { announceStatus } from './announce-status.js';

describe('announceStatus', () => {
  it('loads the announcer with the first change and says the changes in one polite sentence', async () => {
    expect(document.querySelector('[data-kpi-lights="announcer"]')).to.equal(null);
    announceStatus('a\n', 'E-file error rate', 'Warning');
    announceStatus('b\n', 'E-file latency', 'OK');
    // A later change of the same KPI, made before the announcer has come: its status is said.
    announceStatus('a\n', 'E-file error rate', 'Critical');
    // The announcer gathers the changes for half a second, then speaks once.
    await waitUntil(
      () => (document.querySelector('[data-kpi-lights="announcer"]')?.textContent ?? '') !== '',
      'the live region never spoke',
      { timeout: 3000 },
    );
    const regions = document.querySelectorAll('[role="status"][aria-live="polite"]');
    expect(regions.length).to.equal(1);
    // In the order the changes came, each KPI once, with its latest status.
    expect(regions[0].textContent).to.equal(
      '2 lights changed. E-file latency: OK; E-file error rate: Critical.',
    );
  });
});
