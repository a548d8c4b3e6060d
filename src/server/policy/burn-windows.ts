/** The burn-rate alerts' window pairs: what `burn_rate: page | ticket` in a policy means, read by the alerts and by the policy's own checks. */

/** One window pair: both must burn faster than `factor` for the alert to hold. */
export interface BurnWindow {
  /** Budget-burn speed: 1 spends the budget exactly over the budget window. */
  readonly factor: number;
  readonly longMs: number;
  readonly shortMs: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const REFERENCE_WINDOW_MS = 30 * 24 * HOUR;

/**
 * The SRE workbook's recommended table (chapter "Alerting on SLOs", for a 30-day budget): a page
 * when 2 % of the budget goes in an hour (14.4×, over 1 h and 5 m) or 5 % in six hours (6×,
 * over 6 h and 30 m); a ticket when 10 % goes in three days (1×, over 3 d and 6 h). The short
 * window, 1/12 of the long one, makes the alert stop soon after the burn stops.
 */
export const BURN_WINDOWS: Readonly<Record<'page' | 'ticket', readonly BurnWindow[]>> = {
  page: [
    { factor: 14.4, longMs: HOUR, shortMs: 5 * MINUTE },
    { factor: 6, longMs: 6 * HOUR, shortMs: 30 * MINUTE },
  ],
  ticket: [{ factor: 1, longMs: 72 * HOUR, shortMs: 6 * HOUR }],
};

/**
 * The windows for a budget window: the table's windows scaled by `budgetWindow / 30d`, in whole
 * seconds. The factors stay: a factor is a speed, the same for any window length.
 *
 * @example
 * ```ts
 * burnWindows('page', 7 * 86_400_000)[0]; // { factor: 14.4, longMs: 840_000, shortMs: 70_000 }
 * ```
 */
export function burnWindows(speed: 'page' | 'ticket', budgetWindowMs: number): BurnWindow[] {
  const scale = budgetWindowMs / REFERENCE_WINDOW_MS;
  const scaled = (ms: number) => Math.max(1_000, Math.round((ms * scale) / 1_000) * 1_000);
  return BURN_WINDOWS[speed].map((w) => ({
    factor: w.factor,
    longMs: scaled(w.longMs),
    shortMs: scaled(w.shortMs),
  }));
}
