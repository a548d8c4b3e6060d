/** Says status changes aloud through one polite live region, a few at a time. */

/** The timer the announcer waits on; tests pass a fake one. */
export interface AnnounceTimer {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
}

/** How often the announcer may speak. */
export interface AnnouncerOptions {
  /** Least time between two announcements, ms. Default 5 000. */
  readonly intervalMs?: number;
  /** How long to gather changes that come together (a snapshot), ms. Default 500. */
  readonly settleMs?: number;
  /** Default the platform's clock and timers. */
  readonly timer?: AnnounceTimer;
}

const MAX_NAMED = 4;

/**
 * Gathers status changes and speaks one summary at most every `intervalMs`, so a board of 20
 * lights that change together says one sentence, not 20. Each KPI is named once per summary,
 * with its latest status.
 *
 * @example
 * ```ts
 * const announcer = new StatusAnnouncer(region);
 * announcer.statusChanged('efile-error-rate', 'E-file error rate', 'Critical');
 * ```
 */
export class StatusAnnouncer {
  readonly #region: HTMLElement;
  readonly #intervalMs: number;
  readonly #settleMs: number;
  readonly #timer: AnnounceTimer;
  readonly #pending = new Map<string, string>();
  #scheduled = false;
  #lastSpoke = Number.NEGATIVE_INFINITY;

  constructor(region: HTMLElement, options: AnnouncerOptions = {}) {
    this.#region = region;
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#settleMs = options.settleMs ?? 500;
    this.#timer = options.timer ?? {
      now: () => Date.now(),
      setTimeout: (run, ms) => setTimeout(run, ms),
    };
  }

  /** Queues "`title`: `word`" for the next summary; a later change of the same KPI replaces it. */
  statusChanged(id: string, title: string, word: string): void {
    this.#pending.delete(id);
    this.#pending.set(id, `${title}: ${word}`);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = Math.max(this.#settleMs, this.#lastSpoke + this.#intervalMs - this.#timer.now());
    this.#timer.setTimeout(() => this.#speak(), wait);
  }

  #speak(): void {
    this.#scheduled = false;
    const changes = [...this.#pending.values()];
    this.#pending.clear();
    if (changes.length === 0) return;
    this.#lastSpoke = this.#timer.now();
    const named = changes.slice(0, MAX_NAMED).join('; ');
    const more = changes.length - MAX_NAMED;
    const text =
      changes.length === 1
        ? `${named}.`
        : `${changes.length} lights changed. ${named}${more > 0 ? `; and ${more} more` : ''}.`;
    // The same words twice would not be re-read; a trailing space makes them new text.
    this.#region.textContent = this.#region.textContent === text ? `${text} ` : text;
  }
}
