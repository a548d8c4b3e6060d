/** The alerts' public face: what the API, the stream and the server see of the alert core. */
import type { AlertInfo, NewSilence, Silence } from '../../sdk/types.js';

/** Hears each change of an alert's state: pending, firing, resolved. */
export type AlertListener = (alert: AlertInfo) => void;

/**
 * Silences as the API exposes them. Every write is persisted before it returns.
 *
 * @example
 * ```ts
 * const s = alerting.silences.add({ matchers: [{ name: 'kpi', value: 'efile-error-rate', isRegex: false }],
 *   endsAt: '2026-12-03T08:00:00Z', createdBy: 'jane', comment: 'deploy window' });
 * alerting.silences.expire(s.id);
 * ```
 */
export interface SilenceBook {
  /** Every silence, newest first; expired ones stay listed for a while (as in Alertmanager). */
  list(): readonly Silence[];
  get(id: string): Silence | undefined;
  /** Adds a silence. Throws {@link SilenceError} naming the bad field (no matchers, end before start, bad regex). */
  add(silence: NewSilence): Silence;
  /** Ends a silence now. Returns it, or `undefined` when no silence has that id. */
  expire(id: string): Silence | undefined;
}

/** A silence that cannot be added; `field` names the input field at fault. */
export class SilenceError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'SilenceError';
    this.field = field;
  }
}

/**
 * The alert core, as built next to the evaluator in `start-server.ts`.
 *
 * @example
 * ```ts
 * app.get('/alerts', (c) => c.json(alerting.current()));
 * const off = alerting.onAlert((alert) => hub.publish('alert', alert));
 * ```
 */
export interface Alerting {
  /** Pending and firing alerts, for `GET /api/v1/alerts` and the stream's snapshot. */
  current(): readonly AlertInfo[];
  /** Adds a listener for each state change (the stream's `alert` events); returns its remover. */
  onAlert(listener: AlertListener): () => void;
  readonly silences: SilenceBook;
}
