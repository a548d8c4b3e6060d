/** Forwards alerts to Alertmanagers as Prometheus does: every firing alert again each resend delay, an explicit resolve, an `endsAt` that lapses. */
import type { Policy, Receiver } from '../policy/types.js';
import type { AlertInstance } from './alert-instance.js';
import type { NoticeAlert, Notification } from './notification.js';
import type { ChannelSend } from './outbox.js';

/** Prometheus's `--rules.alert.resend-delay` default. */
export const DEFAULT_RESEND_DELAY_MS = 60_000;

/** How long a resolved alert is sent again, as Prometheus keeps resolved alerts for 15 minutes. */
const RESOLVED_RETENTION_MS = 15 * 60_000;

/** How long one post to an Alertmanager may take, as Prometheus's default `timeout`. */
const SEND_TIMEOUT_MS = 10_000;

/** What one round hands the forwarder. */
export interface ForwardRound {
  readonly nowMs: number;
  readonly policy: Policy;
  /** Every alert the core holds after the round. */
  readonly alerts: readonly AlertInstance[];
  /** Whether kpi-lights's own silences or inhibition mute an alert now. */
  readonly muted: (a: AlertInstance) => boolean;
  /** The alert as a notice shows it: its current value, threshold and texts. */
  readonly info: (a: AlertInstance) => NoticeAlert;
}

/** Options of {@link AlertmanagerForwarder}. */
export interface ForwarderOptions {
  /** Posts alerts to one Alertmanager (the Alertmanager channel). */
  readonly send: ChannelSend;
  /** Resend a firing alert after this long. Default {@link DEFAULT_RESEND_DELAY_MS} (1 m). */
  readonly resendDelayMs?: number;
  /** Where an alert is shown in kpi-lights, its `generatorURL`. */
  readonly alertUrl?: (a: AlertInstance) => string | undefined;
  /** Where a failed post is told, once per failing spell of each Alertmanager. */
  readonly report?: (message: string, err?: unknown) => void;
}

/** What an Alertmanager was last told about one alert. */
interface Told {
  readonly alert: NoticeAlert;
  readonly state: 'firing' | 'resolved';
  readonly sentAt: number;
  readonly resolvedAt?: number;
}

/**
 * Forwards to every receiver with an `alertmanager`, the way Prometheus's rule manager sends:
 *
 * - each firing alert of a rule that notifies the receiver, when it starts firing and again
 *   every resend delay, with `endsAt = now + 4 × max(resend delay, evaluation interval)`, so an
 *   Alertmanager whose sender died resolves it by itself within four resends;
 * - an explicit resolve (`endsAt` = when it resolved) once it stops, sent again each resend
 *   delay for 15 minutes, so one lost post cannot leave it firing;
 * - annotations with the value of the round, and `generatorURL` pointing to the alert in
 *   kpi-lights.
 *
 * Alertmanager groups, waits and repeats by itself, so nothing here waits for `group_wait`. Each
 * round posts the current state: a post that failed is simply made again next round, never
 * queued (a queued old post could end an alert that still fires). An alert kpi-lights's own
 * silence mutes is not forwarded; one already forwarded is kept up to date until it resolves.
 *
 * @example
 * ```ts
 * const forwarder = new AlertmanagerForwarder({ send: alertmanagerChannel() });
 * await forwarder.forward({ nowMs, policy, alerts: store.all(), muted, info });
 * ```
 */
export class AlertmanagerForwarder {
  readonly #send: ChannelSend;
  readonly #resendMs: number;
  readonly #alertUrl: (a: AlertInstance) => string | undefined;
  readonly #report: (message: string, err?: unknown) => void;
  /** receiver name → alert id → what was told. */
  readonly #told = new Map<string, Map<string, Told>>();
  readonly #failing = new Set<string>();
  #next: ForwardRound | undefined;
  #running: Promise<void> | undefined;
  readonly #abort = new AbortController();

  constructor(options: ForwarderOptions) {
    this.#send = options.send;
    this.#resendMs = options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS;
    this.#alertUrl = options.alertUrl ?? (() => undefined);
    this.#report = options.report ?? ((m, e) => console.error(m, e ?? ''));
  }

  /**
   * Forwards what this round owes. Rounds never overlap: one that comes while a post is in
   * flight waits, and only the newest waiting round runs. Resolves when it has run.
   */
  forward(round: ForwardRound): Promise<void> {
    this.#next = round;
    this.#running ??= (async () => {
      while (this.#next && !this.#abort.signal.aborted) {
        const next = this.#next;
        this.#next = undefined;
        await this.#round(next);
      }
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Cancels a post in flight and waits for it. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('forwarding stopped'));
    await this.#running;
  }

  async #round(round: ForwardRound): Promise<void> {
    const receivers = round.policy.receivers.filter((r) => r.alertmanager);
    const live = new Set(receivers.map((r) => r.name));
    for (const name of this.#told.keys()) if (!live.has(name)) this.#told.delete(name);
    await Promise.all(receivers.map((r) => this.#toReceiver(r, round)));
  }

  async #toReceiver(receiver: Receiver, round: ForwardRound): Promise<void> {
    const { nowMs, policy } = round;
    const rules = new Set(
      policy.alerts.filter((rule) => rule.notify.includes(receiver.name)).map((r) => r.name),
    );
    const told = this.#told.get(receiver.name) ?? new Map<string, Told>();
    const firing: NoticeAlert[] = [];
    const resolved: { alert: NoticeAlert; at: number }[] = [];
    const firingNow = new Set<string>();
    for (const a of round.alerts) {
      if (a.state !== 'firing' || !rules.has(a.rule)) continue;
      const before = told.get(a.id);
      // A muted alert never told is not forwarded; one told is kept true until it resolves.
      if (!before && round.muted(a)) continue;
      firingNow.add(a.id);
      if (before?.state === 'firing' && nowMs - before.sentAt < this.#resendMs) continue;
      firing.push({ ...round.info(a), generatorUrl: this.#alertUrl(a) });
    }
    const byId = new Map(round.alerts.map((a) => [a.id, a]));
    for (const [id, t] of told) {
      if (firingNow.has(id)) continue;
      if (t.state === 'firing') {
        const at = byId.get(id)?.resolvedAt ?? nowMs;
        resolved.push({ alert: t.alert, at });
      } else if (nowMs - (t.resolvedAt ?? nowMs) >= RESOLVED_RETENTION_MS) {
        told.delete(id);
      } else if (nowMs - t.sentAt >= this.#resendMs) {
        resolved.push({ alert: t.alert, at: t.resolvedAt ?? nowMs });
      }
    }
    this.#told.set(receiver.name, told);
    if (firing.length === 0 && resolved.length === 0) return;
    const notice: Notification = {
      dedupKey: `${receiver.name}/${nowMs}`,
      receiver: receiver.name,
      groupKey: '{}',
      groupLabels: {},
      status: firing.length > 0 ? 'firing' : 'resolved',
      firing,
      resolved: resolved.map(({ alert, at }) => ({
        ...alert,
        state: 'resolved',
        resolvedAt: new Date(at).toISOString(),
      })),
      createdAt: nowMs,
      externalUrl: policy.route.externalUrl,
      policyVersion: Math.max(0, ...firing.map((a) => a.policyVersion)),
      endsAt: nowMs + 4 * Math.max(this.#resendMs, policy.evaluation.intervalMs),
    };
    try {
      const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]);
      await this.#send(receiver, [notice], signal);
    } catch (err) {
      // Nothing is marked told: the next round posts the state it finds then.
      if (!this.#failing.has(receiver.name)) {
        this.#failing.add(receiver.name);
        this.#report(
          `forwarding alerts to the Alertmanager of ${receiver.name} failed; retrying each round:`,
          err,
        );
      }
      return;
    }
    this.#failing.delete(receiver.name);
    for (const a of firing) told.set(a.id, { alert: a, state: 'firing', sentAt: nowMs });
    for (const { alert, at } of resolved) {
      told.set(alert.id, { alert, state: 'resolved', sentAt: nowMs, resolvedAt: at });
    }
  }
}
