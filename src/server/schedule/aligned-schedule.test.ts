/** The aligned schedule on manual timers: slots, skipping while busy, late timers, stop and replan. */
import { describe, expect, it } from 'vitest';
import { manualTimers } from '#test-support/manual-timers.js';
import { AlignedSchedule } from './aligned-schedule.js';
import { nextSlotMs } from './aligned-slots.js';

const T0 = 1_700_000_000_000; // a whole multiple of 1 000

describe('nextSlotMs', () => {
  it('answers the first slot at or after now', () => {
    expect(nextSlotMs(10_500, 1_000, 200)).toBe(11_200);
    expect(nextSlotMs(11_200, 1_000, 200)).toBe(11_200);
    expect(nextSlotMs(10_500, 1_000)).toBe(11_000);
  });
});

describe('AlignedSchedule', () => {
  it('runs on whole multiples of the interval, plus the offset, strictly after start', async () => {
    const timers = manualTimers(T0 + 250);
    const slots: number[] = [];
    const s = new AlignedSchedule({
      intervalMs: () => 1_000,
      offsetMs: 100,
      work: async (t) => slots.push(t),
      timers,
    });
    s.start();
    s.start(); // a second start is a no-op, not a second loop
    expect(timers.pending).toBe(1);
    expect(s.nextAt).toBe(T0 + 1_100);
    await timers.advance(3_000);
    expect(slots).toEqual([T0 + 1_100, T0 + 2_100, T0 + 3_100]);
  });

  it('skips a slot that comes while the work still runs, and never runs one twice', async () => {
    const timers = manualTimers(T0);
    const slots: number[] = [];
    const missed: number[] = [];
    let finish: () => void = () => {};
    const s = new AlignedSchedule({
      intervalMs: () => 1_000,
      work: (t) => {
        slots.push(t);
        return new Promise<void>((r) => (finish = r));
      },
      timers,
      onMissed: (n) => missed.push(n),
    });
    s.start();
    await timers.advance(2_500); // slot 1 starts and hangs; slot 2 is skipped
    expect(slots).toEqual([T0 + 1_000]);
    expect(missed).toEqual([1]);
    finish();
    await timers.advance(1_000);
    expect(slots).toEqual([T0 + 1_000, T0 + 3_000]);
    expect(missed).toEqual([1]);
  });

  it('skips slots a late timer missed instead of firing them in a burst', async () => {
    const timers = manualTimers(T0);
    const slots: number[] = [];
    const missed: number[] = [];
    const s = new AlignedSchedule({
      intervalMs: () => 1_000,
      work: async (t) => slots.push(t),
      timers,
      onMissed: (n) => missed.push(n),
    });
    s.start();
    expect(timers.nextAt()).toBe(T0 + 1_000);
    // The event loop was busy: the timer for T0+1000 runs only at T0+3500.
    timers.stall(3_500);
    await timers.runNext();
    expect(slots).toEqual([T0 + 1_000]);
    expect(s.nextAt).toBe(T0 + 4_000);
    // The slot ran late; the two after it (T0+2000, T0+3000) passed with no work.
    expect(missed).toEqual([2]);
  });

  it('stops, waits for the work in flight, and resumes without repeating a slot', async () => {
    const timers = manualTimers(T0);
    const slots: number[] = [];
    let finish: () => void = () => {};
    const s = new AlignedSchedule({
      intervalMs: () => 1_000,
      work: (t) => {
        slots.push(t);
        return new Promise<void>((r) => (finish = r));
      },
      timers,
    });
    s.start();
    await timers.runNext();
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await timers.advance(0);
    expect(stopped).toBe(false);
    expect(s.nextAt).toBeNull();
    finish();
    await stopping;
    expect(timers.pending).toBe(0);
    await timers.advance(5_000);
    expect(slots).toEqual([T0 + 1_000]);
    s.start();
    expect(s.nextAt).toBe(T0 + 7_000);
  });

  it('replans with a new interval, and drops work that rejects', async () => {
    const timers = manualTimers(T0 + 100);
    let interval = 1_000;
    const slots: number[] = [];
    const s = new AlignedSchedule({
      intervalMs: () => interval,
      work: async (t) => {
        slots.push(t);
        throw new Error('a round failed');
      },
      timers,
    });
    s.start();
    expect(s.nextAt).toBe(T0 + 1_000);
    interval = 400;
    s.replan();
    expect(s.nextAt).toBe(T0 + 400);
    await timers.advance(900);
    expect(slots).toEqual([T0 + 400, T0 + 800]);
    await s.stop();
  });
});
