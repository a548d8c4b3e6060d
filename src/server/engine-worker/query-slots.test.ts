import { describe, expect, it } from 'vitest';
import { STOP_CANCELED, STOP_RUNNING } from '../promql/query-stop.js';
import { QuerySlots } from './query-slots.js';

describe('QuerySlots', () => {
  it('hands out each slot once, queues the rest in order, and clears a reused flag', async () => {
    const slots = new QuerySlots(2);
    const a = await slots.acquire().slot;
    const b = await slots.acquire().slot;
    expect(new Set([a, b]).size).toBe(2);
    const order: number[] = [];
    const inOrder = (n: number) => (s: number) => {
      order.push(n);
      return s;
    };
    const third = slots.acquire().slot.then(inOrder(3));
    const fourth = slots.acquire().slot.then(inOrder(4));
    expect(slots.queued).toBe(2);
    Atomics.store(slots.flags, a, STOP_CANCELED);
    slots.release(a);
    expect(await third).toBe(a);
    expect(Atomics.load(slots.flags, a)).toBe(STOP_RUNNING);
    slots.release(b);
    expect(await fourth).toBe(b);
    expect(order).toEqual([3, 4]);
  });

  it('forgets a waiter that gave up, so its slot goes to the next one', async () => {
    const slots = new QuerySlots(1);
    const held = await slots.acquire().slot;
    const gaveUp = slots.acquire();
    const next = slots.acquire().slot;
    gaveUp.cancel();
    slots.release(held);
    expect(await next).toBe(held);
    expect(slots.queued).toBe(0);
  });

  it('refuses a size that is not a positive whole number', () => {
    expect(() => new QuerySlots(0)).toThrow(/positive integer/);
  });
});
