/** Browser tests of the status announcer: one polite summary per interval, on a fake clock. */
import { expect } from '@open-wc/testing';
import { type AnnounceTimer, StatusAnnouncer } from './status-announcer.js';

/** A timer the test moves by hand. */
class FakeTimer implements AnnounceTimer {
  time = 0;
  readonly #due: { at: number; run: () => void }[] = [];
  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): unknown {
    this.#due.push({ at: this.time + ms, run });
    return undefined;
  }
  advance(ms: number): void {
    this.time += ms;
    const ready = this.#due.filter((d) => d.at <= this.time);
    for (const d of ready) {
      this.#due.splice(this.#due.indexOf(d), 1);
      d.run();
    }
  }
}

describe('StatusAnnouncer', () => {
  it('gathers changes that come together into one polite sentence', () => {
    const region = document.createElement('div');
    const timer = new FakeTimer();
    const announcer = new StatusAnnouncer(region, { intervalMs: 5000, settleMs: 500, timer });
    for (let i = 0; i < 20; i++) announcer.statusChanged(`k${i}`, `KPI ${i}`, 'Critical');
    expect(region.textContent).to.equal('');
    timer.advance(500);
    expect(region.textContent).to.equal(
      '20 lights changed. KPI 0: Critical; KPI 1: Critical; KPI 2: Critical; KPI 3: Critical; and 16 more.',
    );
  });

  it('speaks at most once per interval, with each KPI’s latest status', () => {
    const region = document.createElement('div');
    const timer = new FakeTimer();
    const announcer = new StatusAnnouncer(region, { intervalMs: 5000, settleMs: 500, timer });
    announcer.statusChanged('a', 'Errors', 'Warning');
    timer.advance(500);
    expect(region.textContent).to.equal('Errors: Warning.');
    announcer.statusChanged('a', 'Errors', 'Critical');
    announcer.statusChanged('a', 'Errors', 'OK');
    timer.advance(1000);
    expect(region.textContent).to.equal('Errors: Warning.');
    timer.advance(4000);
    expect(region.textContent).to.equal('Errors: OK.');
  });
});
