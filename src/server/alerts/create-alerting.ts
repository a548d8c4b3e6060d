/** The alert core put together: rules each round, states in SQLite, groups, silences, the outbox. */
import type { AlertInfo, KpiReading } from '../../sdk/types.js';
import type { ServerDatabase } from '../database/index.js';
import type { Policy } from '../policy/types.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import { type AlertInstance, alertInfo } from './alert-instance.js';
import { stepRules } from './alert-round.js';
import { AlertStore } from './alert-store.js';
import type { Alerting, AlertListener } from './alerting.js';
import { AlertmanagerForwarder, type ForwarderOptions } from './alertmanager-forwarder.js';
import { inhibitedIds } from './inhibition.js';
import { NoticeGroups } from './notice-groups.js';
import type { NoticeAlert } from './notification.js';
import { type Channel, type ChannelSend, Outbox, type OutboxOptions } from './outbox.js';
import { observeRules } from './rule-conditions.js';
import { SilenceStore } from './silence-store.js';

/** Options of {@link createAlerting}. */
export interface AlertingOptions {
  readonly database: ServerDatabase;
  readonly policy: Policy;
  readonly policyVersion: number;
  /** Where query and burn-rate conditions are evaluated. */
  readonly source: QuerySource;
  /** The channels; tests pass their own. */
  readonly send: Readonly<Record<Channel, ChannelSend>>;
  /** Default the real ones. */
  readonly timers?: Timers;
  readonly report?: (message: string, err?: unknown) => void;
  /** How alerts are forwarded to Alertmanagers (resend delay, each alert's URL in kpi-lights). */
  readonly forwarding?: Pick<ForwarderOptions, 'resendDelayMs' | 'alertUrl'>;
  /** Retry timing of the outbox. */
  readonly outbox?: Pick<
    OutboxOptions,
    | 'firstRetryMs'
    | 'maxRetryMs'
    | 'giveUpAfterMs'
    | 'sendTimeoutMs'
    | 'refusalsBeforeGiveUp'
    | 'maxPending'
    | 'maxPendingBytes'
  >;
}

/** The alert core: the {@link Alerting} face plus what the server drives. */
export interface AlertCore extends Alerting {
  /**
   * One round, after the KPI evaluator's round at `nowMs`, with its readings. Resolves once the
   * round is recorded and its alerts are forwarded to Alertmanagers.
   */
  evaluate(readings: readonly KpiReading[], nowMs: number): Promise<void>;
  /** Hot reload: later rounds run the new rules; alerts of removed rules resolve. */
  setPolicy(policy: Policy, version: number): void;
  /** Starts the group timer and the outbox; notices left from before a restart go out. */
  start(): void;
  /** Stops timers and waits for a round and a delivery in flight. */
  stop(): Promise<void>;
  readonly outbox: Outbox;
}

/**
 * Builds the alert core over the server's database.
 *
 * @example
 * ```ts
 * const alerts = createAlerting({ database, policy, policyVersion: 1, source, send: channels() });
 * const evaluator = createKpiEvaluator({ …, onRound: (readings, t) => void alerts.evaluate(readings, t) });
 * alerts.start();
 * ```
 */
export function createAlerting(options: AlertingOptions): AlertCore {
  return new AlertingCore(options);
}

/** Whether an alert is silenced or inhibited, as seen among all the alerts of the moment. */
type MuteCheck = (a: AlertInstance) => Parameters<typeof alertInfo>[1];

/** An alert as notices show it: the API's view plus its value and threshold as text. */
function noticeAlert(a: AlertInstance, muted: MuteCheck): NoticeAlert {
  return {
    ...alertInfo(a, muted(a)),
    valueText: a.texts.value ?? '',
    ...(a.texts.threshold ? { thresholdText: a.texts.threshold } : {}),
  };
}

/** True when kpi-lights's own silences or inhibition mute the alert now. */
function isMuted(muted: MuteCheck): (a: AlertInstance) => boolean {
  return (a) => {
    const m = muted(a);
    return m.inhibited || m.silencedBy.length > 0;
  };
}

/** The alert core's parts and state, one small method per step; built by {@link createAlerting}. */
class AlertingCore implements AlertCore {
  readonly silences: SilenceStore;
  readonly outbox: Outbox;
  readonly #source: QuerySource;
  readonly #timers: Timers;
  readonly #report: (message: string, err?: unknown) => void;
  readonly #store: AlertStore;
  readonly #groups: NoticeGroups;
  readonly #forwarder: AlertmanagerForwarder;
  /** The newest round's forwarding to Alertmanagers, which `evaluate` waits for but the queue does not. */
  #forwarding: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<AlertListener>();
  #policy: Policy;
  #version: number;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: TimerHandle | undefined;
  #started = false;
  /** The receiver of that name in the policy of the moment (the outbox asks at each send). */
  readonly #receiver = (name: string) => this.#policy.receivers.find((r) => r.name === name);

  constructor(options: AlertingOptions) {
    const { database } = options;
    this.#source = options.source;
    this.#timers = options.timers ?? realTimers;
    this.#report = options.report ?? ((m, e) => console.error(m, e ?? ''));
    this.#policy = options.policy;
    this.#version = options.policyVersion;
    this.#store = new AlertStore(database);
    this.#groups = new NoticeGroups(database);
    this.silences = new SilenceStore(database, this.#timers);
    this.outbox = new Outbox(database, {
      ...options.outbox,
      receiver: this.#receiver,
      send: options.send,
      timers: this.#timers,
      report: this.#report,
    });
    this.#forwarder = new AlertmanagerForwarder({
      ...options.forwarding,
      send: options.send.alertmanager,
      report: this.#report,
    });
  }

  current(): readonly AlertInfo[] {
    const all = this.#store.all();
    const muted = this.#mutes(all);
    return all
      .filter((a) => a.state !== 'resolved')
      .sort((a, b) =>
        a.state === b.state ? a.activeAt - b.activeAt : a.state === 'firing' ? -1 : 1,
      )
      .map((a) => alertInfo(a, muted(a)));
  }

  onAlert(listener: AlertListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // An own property, not a method, so it still works when passed on detached from the core.
  readonly evaluate = (readings: readonly KpiReading[], nowMs: number): Promise<void> =>
    this.#serial(() => this.#round(readings, nowMs)).then(() => this.#forwarding);

  setPolicy(next: Policy, nextVersion: number): void {
    this.#policy = next;
    this.#version = nextVersion;
  }

  start(): void {
    this.#started = true;
    this.outbox.start();
    this.#afterWrite();
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue;
    await Promise.all([this.outbox.stop(), this.#forwarder.stop()]);
  }

  /** How each alert is muted, given every alert now (inhibition looks across them). */
  #mutes(all: readonly AlertInstance[]): MuteCheck {
    const inhibited = inhibitedIds(all);
    return (a) => ({
      silencedBy: this.silences.mutedBy(a.labels),
      inhibited: inhibited.has(a.id),
    });
  }

  /** Tells every listener of each changed alert; a failing listener is reported, not fatal. */
  #tell(changed: readonly AlertInstance[]): void {
    const muted = this.#mutes(this.#store.all());
    for (const a of changed) {
      const info = alertInfo(a, muted(a));
      for (const listener of this.#listeners) {
        try {
          listener(info);
        } catch (err) {
          this.#report('an alert listener failed:', err);
        }
      }
    }
  }

  /** Flushes due groups into the outbox and forgets resolved alerts nobody owes a notice. */
  #flushGroups(nowMs: number): void {
    const policy = this.#policy;
    const store = this.#store;
    const all = store.all();
    const muted = this.#mutes(all);
    const notices = this.#groups.flush({
      nowMs,
      alerts: all,
      notify: (rule) => policy.alerts.find((r) => r.name === rule)?.notify ?? [],
      receiver: this.#receiver,
      muted: isMuted(muted),
      info: (a) => noticeAlert(a, muted),
      externalUrl: policy.route.externalUrl,
    });
    for (const n of notices) this.outbox.enqueue(n);
    const owed = this.#groups.owed();
    for (const a of all) if (a.state === 'resolved' && !owed.has(a.id)) store.forget(a.id);
  }

  /** After a write, once started: wakes the outbox and sets the timer for the next due group. */
  #afterWrite(): void {
    if (!this.#started) return;
    this.outbox.kick();
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#groups.nextFlushAt();
    if (next === undefined) return;
    this.#timer = this.#timers.setTimeout(
      () => {
        this.#timer = undefined;
        void this.#serial(async () => {
          this.#store.transaction(() => this.#flushGroups(this.#timers.now()));
          this.#afterWrite();
        });
      },
      Math.max(0, next - this.#timers.now()),
    );
  }

  /** Runs `work` after every earlier round and flush, so no two write at once. */
  #serial(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch((err) => this.#report('an alert round failed:', err));
    return run;
  }

  /** One round: observe every rule, write the new states and due groups, then tell and wake. */
  async #round(readings: readonly KpiReading[], nowMs: number): Promise<void> {
    const policy = this.#policy;
    const policyVersion = this.#version;
    const observations = await observeRules(policy, readings, this.#source, nowMs);
    const changed = this.#store.transaction(() => {
      const out = stepRules(this.#store, { policy, policyVersion, readings, observations, nowMs });
      this.#flushGroups(nowMs);
      return out;
    });
    this.#tell(changed);
    this.#afterWrite();
    this.#forward(policy, nowMs);
  }

  /** Forwards the round to Alertmanagers, outside the queue: a slow one must not hold up the next round. */
  #forward(policy: Policy, nowMs: number): void {
    if (!this.#started) return;
    const all = this.#store.all();
    const muted = this.#mutes(all);
    this.#forwarding = this.#forwarder.forward({
      nowMs,
      policy,
      alerts: all,
      muted: isMuted(muted),
      info: (a) => noticeAlert(a, muted),
    });
  }
}
