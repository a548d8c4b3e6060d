/** An in-memory `Alerting` whose alerts tests set: for the API, stream and SDK, not the alert core. */
import type { AlertInfo, NewSilence, Silence } from '../../src/sdk/types.js';
import {
  type Alerting,
  type AlertListener,
  type SilenceBook,
  SilenceError,
} from '../../src/server/alerts/index.js';

/** A firing alert with the fields a page shows; override what a test needs. */
export function alertInfo(overrides: Partial<AlertInfo> = {}): AlertInfo {
  return {
    id: 'a1',
    name: 'EfileErrors',
    state: 'firing',
    severity: 'page',
    kpi: 'efile-error-rate',
    labels: { alertname: 'EfileErrors', severity: 'page', kpi: 'efile-error-rate' },
    summary: 'E-file errors at 5 %',
    runbook: 'https://runbooks.example.gov/efile-errors',
    value: 0.05,
    threshold: 0.03,
    activeAt: '2026-12-02T12:00:00.000Z',
    firedAt: '2026-12-02T12:01:00.000Z',
    policyVersion: 1,
    ...overrides,
  };
}

/** Silences kept in a list; refuses what the core refuses by field (no matchers, end before start). */
class StubSilenceBook implements SilenceBook {
  readonly #all: Silence[] = [];
  #next = 1;

  constructor(private readonly now: () => number) {}

  list(): readonly Silence[] {
    return [...this.#all].reverse();
  }

  get(id: string): Silence | undefined {
    return this.#all.find((s) => s.id === id);
  }

  add(silence: NewSilence): Silence {
    if (silence.matchers.length === 0) throw new SilenceError('matchers', 'needs a matcher');
    const now = new Date(this.now()).toISOString();
    const startsAt = silence.startsAt ?? now;
    if (Date.parse(silence.endsAt) <= Date.parse(startsAt)) {
      throw new SilenceError('endsAt', 'endsAt must be after startsAt');
    }
    const stored: Silence = {
      ...silence,
      id: `s${this.#next++}`,
      startsAt,
      status: 'active',
      updatedAt: now,
    };
    this.#all.push(stored);
    return stored;
  }

  expire(id: string): Silence | undefined {
    const i = this.#all.findIndex((s) => s.id === id);
    if (i < 0) return undefined;
    const now = new Date(this.now()).toISOString();
    this.#all[i] = { ...this.#all[i], status: 'expired', endsAt: now, updatedAt: now };
    return this.#all[i];
  }
}

/** An `Alerting` whose `current()` is `alerts`; `emit` tells listeners of a change. */
export class StubAlerting implements Alerting {
  alerts: AlertInfo[] = [];
  readonly silences: StubSilenceBook;
  readonly #listeners = new Set<AlertListener>();

  constructor(now: () => number = Date.now) {
    this.silences = new StubSilenceBook(now);
  }

  current(): readonly AlertInfo[] {
    return this.alerts;
  }

  onAlert(listener: AlertListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener, as the core does on a change of state. */
  emit(alert: AlertInfo): void {
    for (const listener of this.#listeners) listener(alert);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
