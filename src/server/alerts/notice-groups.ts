/** Alertmanager's dispatch: alerts grouped per receiver, told after group_wait, changes after group_interval, repeats. */

import { createHash } from 'node:crypto';
import type { ServerDatabase } from '../database/index.js';
import { labelsText } from '../model/label-text.js';
import type { Labels } from '../model/model.js';
import type { Receiver } from '../policy/types.js';
import type { AlertInstance } from './alert-instance.js';
import { migrateAlertTables } from './alert-tables.js';
import type { NoticeAlert, Notification } from './notification.js';

/** What the last notice of a group told, persisted so a restart never tells it twice. */
interface GroupState {
  readonly receiver: string;
  readonly key: string;
  readonly labels: Labels;
  readonly nextFlushAt: number;
  readonly lastSentAt: number | undefined;
  /** Alerts told as firing, id → the firedAt they were told with. */
  readonly told: Readonly<Record<string, number>>;
}

/** What one flush round needs. */
export interface FlushInput {
  readonly nowMs: number;
  readonly alerts: readonly AlertInstance[];
  /** Receivers of each rule (`notify`). */
  readonly notify: (rule: string) => readonly string[];
  readonly receiver: (name: string) => Receiver | undefined;
  /** Whether an alert is muted now (silenced or inhibited). */
  readonly muted: (a: AlertInstance) => boolean;
  readonly info: (a: AlertInstance) => NoticeAlert;
  readonly externalUrl: string | undefined;
}

/**
 * The notice groups of every receiver, in memory and in `alert_groups`.
 *
 * A group is born when a firing alert first lands in it, and flushes `group_wait` later; after
 * that it flushes every `group_interval`. A flush sends a notice when an alert fires that the
 * last notice did not tell, when one it told has resolved, or when `repeat_interval` has passed
 * since the last notice and something still fires. Muted alerts are left out, but one already
 * told keeps its place, so its resolved notice still goes out. A group with nothing left to
 * tell is forgotten, and its next alert waits `group_wait` again.
 *
 * @example
 * ```ts
 * const groups = new NoticeGroups(db);
 * store.transaction(() => { for (const n of groups.flush(input)) outbox.enqueue(n); });
 * timers.setTimeout(tick, groups.nextFlushAt()! - now);
 * ```
 */
export class NoticeGroups {
  readonly #groups = new Map<string, GroupState>();
  readonly #put;
  readonly #delete;

  constructor(db: ServerDatabase) {
    migrateAlertTables(db);
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO alert_groups (receiver, group_key, body) VALUES (?, ?, ?)',
    );
    this.#delete = db.prepare('DELETE FROM alert_groups WHERE receiver = ? AND group_key = ?');
    for (const row of db.prepare('SELECT body FROM alert_groups').all() as { body: string }[]) {
      const stored = JSON.parse(row.body) as GroupState;
      // Keys written before labels were sorted in keys are re-keyed, so a group is one group.
      const g = { ...stored, key: labelsText(stored.labels) };
      if (g.key !== stored.key) this.#delete.run(g.receiver, stored.key);
      this.#groups.set(`${g.receiver} ${g.key}`, g);
      if (g.key !== stored.key) this.#put.run(g.receiver, g.key, JSON.stringify(g));
    }
  }

  /** Ids of alerts some group has told as firing: their resolved notice is still owed. */
  owed(): Set<string> {
    return new Set([...this.#groups.values()].flatMap((g) => Object.keys(g.told)));
  }

  /** When the earliest group flushes next, or undefined when none waits. */
  nextFlushAt(): number | undefined {
    let next: number | undefined;
    for (const g of this.#groups.values())
      if (next === undefined || g.nextFlushAt < next) next = g.nextFlushAt;
    return next;
  }

  /** Flushes the groups that are due; returns the notices to enqueue. Call inside a transaction. */
  flush(input: FlushInput): Notification[] {
    const { nowMs } = input;
    const byId = new Map(input.alerts.map((a) => [a.id, a]));
    const members = new Map<
      string,
      { receiver: Receiver; labels: Labels; firing: AlertInstance[] }
    >();
    for (const a of input.alerts) {
      if (a.state !== 'firing') continue;
      for (const name of input.notify(a.rule)) {
        const receiver = input.receiver(name);
        if (!receiver) continue;
        const labels = Object.fromEntries(
          receiver.timing.groupBy.map((l) => [l, a.labels[l] ?? '']),
        );
        const id = `${name} ${labelsText(labels)}`;
        const m = members.get(id) ?? { receiver, labels, firing: [] };
        m.firing.push(a);
        members.set(id, m);
      }
    }
    const out: Notification[] = [];
    for (const id of new Set([...members.keys(), ...this.#groups.keys()])) {
      const m = members.get(id);
      let g = this.#groups.get(id);
      const receiver = m?.receiver ?? input.receiver(g?.receiver ?? '');
      if (!g) {
        if (!m || !receiver) continue;
        g = {
          receiver: receiver.name,
          key: labelsText(m.labels),
          labels: m.labels,
          nextFlushAt: nowMs + receiver.timing.groupWaitMs,
          lastSentAt: undefined,
          told: {},
        };
        this.#save(g);
      }
      if (nowMs < g.nextFlushAt) continue;
      const firing = (m?.firing ?? []).filter((a) => !input.muted(a));
      const resolved: AlertInstance[] = [];
      const stillMuted: Record<string, number> = {};
      for (const [aid, firedAt] of Object.entries(g.told)) {
        const a = byId.get(aid);
        // Gone, resolved, or back to pending: the firing it was told as has ended. One firing
        // again since (a new firedAt) is told as firing, which says enough.
        if (!a || a.state === 'resolved' || a.state === 'pending') {
          if (a) {
            resolved.push(
              a.state === 'resolved' ? a : { ...a, state: 'resolved', resolvedAt: nowMs },
            );
          }
        } else if (input.muted(a) && a.firedAt === firedAt) stillMuted[aid] = firedAt;
      }
      const fresh = firing.some((a) => g.told[a.id] !== a.firedAt);
      const timing = receiver?.timing;
      const repeat =
        firing.length > 0 &&
        g.lastSentAt !== undefined &&
        timing !== undefined &&
        nowMs - g.lastSentAt >= timing.repeatIntervalMs;
      const send = receiver !== undefined && (fresh || resolved.length > 0 || repeat);
      if (send) out.push(this.#notice(g, firing, resolved, input));
      const told = {
        ...stillMuted,
        ...Object.fromEntries(firing.map((a) => [a.id, a.firedAt ?? nowMs])),
      };
      if (Object.keys(told).length === 0 && firing.length === 0) {
        this.#groups.delete(id);
        this.#delete.run(g.receiver, g.key);
        continue;
      }
      this.#save({
        ...g,
        told,
        lastSentAt: send ? nowMs : g.lastSentAt,
        nextFlushAt: nowMs + (timing?.groupIntervalMs ?? 0),
      });
    }
    return out;
  }

  #notice(
    g: GroupState,
    firing: AlertInstance[],
    resolved: AlertInstance[],
    input: FlushInput,
  ): Notification {
    const all = [...firing, ...resolved];
    const receiver = input.receiver(g.receiver);
    const every = receiver
      ? Math.max(receiver.timing.groupIntervalMs, receiver.timing.repeatIntervalMs)
      : 0;
    return {
      // The flush time is persisted with the notice, so the key is the same on every retry.
      dedupKey: createHash('sha256')
        .update(`${g.receiver}\n${g.key}\n${input.nowMs}`)
        .digest('hex')
        .slice(0, 32),
      receiver: g.receiver,
      groupKey: g.key,
      groupLabels: g.labels,
      status: firing.length > 0 ? 'firing' : 'resolved',
      firing: firing.map(input.info),
      resolved: resolved.map(input.info),
      createdAt: input.nowMs,
      externalUrl: input.externalUrl,
      policyVersion: Math.max(0, ...all.map((a) => a.policyVersion)),
      endsAt: input.nowMs + 4 * every,
    };
  }

  #save(g: GroupState): void {
    this.#groups.set(`${g.receiver} ${g.key}`, g);
    this.#put.run(g.receiver, g.key, JSON.stringify(g));
  }
}
