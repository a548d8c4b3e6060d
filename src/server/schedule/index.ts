/** When repeated work runs: aligned slots, and the clock and timers they are measured on. */
export { AlignedSchedule, type AlignedScheduleOptions } from './aligned-schedule.js';
export { nextSlotMs } from './aligned-slots.js';
export { type Clock, realTimers, type TimerHandle, type Timers } from './timers.js';
