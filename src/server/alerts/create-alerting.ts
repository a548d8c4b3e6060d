/** The alert core put together: rules each round, states in SQLite, groups, silences, the outbox. */
import type { AlertInfo, KpiReading } from '../../sdk/types.js';
import type { ServerDatabase } from '../database/index.js';
import type { Policy } from '../policy/types.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import { type AlertInstance, alertInfo } from './alert-instance.js';
import { stepRule } from './alert-states.js';
import { AlertStore } from './alert-store.js';
import type { Alerting, AlertListener } from './alerting.js';
import { AlertmanagerForwarder, type ForwarderOptions } from './alertmanager-forwarder.js';
import { inhibitedIds } from './inhibition.js';
import { NoticeGroups } from './notice-groups.js';
import type { NoticeAlert } from './notification.js';
import { type Channel, type ChannelSend, Outbox, type OutboxOptions } from './outbox.js';
import { observeRules, ruleKpi } from './rule-conditions.js';
import { SilenceStore } from './silence-store.js';

/** An alert as notices show it: the API's view plus its value and threshold as text. */
function noticeAlert(
  a: AlertInstance,
  muted: (a: AlertInstance) => { silencedBy: readonly string[]; inhibited: boolean },
): NoticeAlert {
  return {
    ...alertInfo(a, muted(a)),
    valueText: a.texts.value ?? '',
    ...(a.texts.threshold ? { thresholdText: a.texts.threshold } : {}),
  };
}

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
  const { database, source } = options;
  const timers = options.timers ?? realTimers;
  const report = options.report ?? ((m, e) => console.error(m, e ?? ''));
  let policy = options.policy;
  let version = options.policyVersion;
  const store = new AlertStore(database);
  const groups = new NoticeGroups(database);
  const silences = new SilenceStore(database, timers);
  const receiver = (name: string) => policy.receivers.find((r) => r.name === name);
  const outbox = new Outbox(database, {
    ...options.outbox,
    receiver,
    send: options.send,
    timers,
    report,
  });
  const forwarder = new AlertmanagerForwarder({
    ...options.forwarding,
    send: options.send.alertmanager,
    report,
  });
  const listeners = new Set<AlertListener>();
  let queue: Promise<unknown> = Promise.resolve();
  let timer: TimerHandle | undefined;
  let started = false;
  /** The newest round's forwarding to Alertmanagers, which `evaluate` waits for but the queue does not. */
  let forwarding: Promise<void> = Promise.resolve();

  function mutes(all: readonly AlertInstance[]) {
    const inhibited = inhibitedIds(all);
    return (a: AlertInstance) => ({
      silencedBy: silences.mutedBy(a.labels),
      inhibited: inhibited.has(a.id),
    });
  }

  function tell(changed: readonly AlertInstance[]): void {
    const muted = mutes(store.all());
    for (const a of changed) {
      const info = alertInfo(a, muted(a));
      for (const listener of listeners) {
        try {
          listener(info);
        } catch (err) {
          report('an alert listener failed:', err);
        }
      }
    }
  }

  /** Flushes due groups into the outbox and forgets resolved alerts nobody owes a notice. */
  function flushGroups(nowMs: number): void {
    const all = store.all();
    const muted = mutes(all);
    const notices = groups.flush({
      nowMs,
      alerts: all,
      notify: (rule) => policy.alerts.find((r) => r.name === rule)?.notify ?? [],
      receiver,
      muted: (a) => {
        const m = muted(a);
        return m.inhibited || m.silencedBy.length > 0;
      },
      info: (a) => noticeAlert(a, muted),
      externalUrl: policy.route.externalUrl,
    });
    for (const n of notices) outbox.enqueue(n);
    const owed = groups.owed();
    for (const a of all) if (a.state === 'resolved' && !owed.has(a.id)) store.forget(a.id);
  }

  function afterWrite(): void {
    if (!started) return;
    outbox.kick();
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    const next = groups.nextFlushAt();
    if (next === undefined) return;
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        void serial(async () => {
          store.transaction(() => flushGroups(timers.now()));
          afterWrite();
        });
      },
      Math.max(0, next - timers.now()),
    );
  }

  function serial(work: () => Promise<void>): Promise<void> {
    const run = queue.then(work);
    queue = run.catch((err) => report('an alert round failed:', err));
    return run;
  }

  async function round(readings: readonly KpiReading[], nowMs: number): Promise<void> {
    const p = policy;
    const v = version;
    const observations = await observeRules(p, readings, source, nowMs);
    const byId = new Map(readings.map((r) => [r.id, r]));
    const changed = store.transaction(() => {
      const out: AlertInstance[] = [];
      p.alerts.forEach((rule, i) => {
        const kpi = ruleKpi(rule, p);
        const next = stepRule(
          {
            rule,
            kpi,
            budgetRemaining: kpi && byId.get(kpi.id)?.budget?.remaining,
            nowMs,
            policyVersion: v,
          },
          observations[i],
          store.ofRule(rule.name),
        );
        out.push(...store.replaceRule(rule.name, next, nowMs));
      });
      // Rules gone from the policy: their firing alerts resolve (and are told), pending ones drop.
      const live = new Set(p.alerts.map((r) => r.name));
      for (const rule of new Set(store.all().map((a) => a.rule))) {
        if (live.has(rule)) continue;
        const next = store
          .ofRule(rule)
          .filter((a) => a.state !== 'pending')
          .map(
            (a): AlertInstance =>
              a.state === 'firing' ? { ...a, state: 'resolved', resolvedAt: nowMs } : a,
          );
        out.push(...store.replaceRule(rule, next, nowMs));
      }
      flushGroups(nowMs);
      return out;
    });
    tell(changed);
    afterWrite();
    // Outside the round's queue: a slow Alertmanager must not hold up the next round.
    if (started) {
      const all = store.all();
      const muted = mutes(all);
      forwarding = forwarder.forward({
        nowMs,
        policy: p,
        alerts: all,
        muted: (a) => {
          const m = muted(a);
          return m.inhibited || m.silencedBy.length > 0;
        },
        info: (a) => noticeAlert(a, muted),
      });
    }
  }

  const view = (a: AlertInstance, muted: ReturnType<typeof mutes>): AlertInfo =>
    alertInfo(a, muted(a));

  return {
    current() {
      const all = store.all();
      const muted = mutes(all);
      return all
        .filter((a) => a.state !== 'resolved')
        .sort((a, b) =>
          a.state === b.state ? a.activeAt - b.activeAt : a.state === 'firing' ? -1 : 1,
        )
        .map((a) => view(a, muted));
    },
    onAlert(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    silences,
    evaluate: (readings, nowMs) => serial(() => round(readings, nowMs)).then(() => forwarding),
    setPolicy(next, nextVersion) {
      policy = next;
      version = nextVersion;
    },
    start() {
      started = true;
      outbox.start();
      afterWrite();
    },
    async stop() {
      started = false;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await queue;
      await Promise.all([outbox.stop(), forwarder.stop()]);
    },
    outbox,
  };
}
