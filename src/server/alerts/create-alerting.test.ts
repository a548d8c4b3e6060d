/** The alert core end to end on a manual clock: timing, grouping, repeat, inhibition, silences, rate limit, outbox, restart. */
import { describe, expect, it } from 'vitest';
import {
  KPI,
  policyWith,
  readingOf,
  receiverOf,
  recordingChannels,
  ruleOf,
  startAlerting,
} from '#test-support/alerting-fixture.js';
import { manualTimers } from '#test-support/manual-timers.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import type { AlertInfo } from '../../sdk/types.js';
import { openDatabase } from '../database/index.js';
import type { AlertCore } from './create-alerting.js';

const T0 = Date.UTC(2026, 3, 15, 12);
const temp = useTempDatabase('kpi-alerts-');

/** Rounds every 15 s with these values; returns after the last round's timers ran. */
async function rounds(
  core: AlertCore,
  timers: ReturnType<typeof manualTimers>,
  values: (number | null)[],
  kpis = [KPI],
) {
  for (const v of values) {
    await core.evaluate(
      kpis.map((k) => readingOf(v, k)),
      timers.now(),
    );
    await timers.advance(15_000);
  }
}

const summary = (d: {
  notices: readonly {
    status: string;
    firing: readonly AlertInfo[];
    resolved: readonly AlertInfo[];
  }[];
}) => d.notices.map((n) => `${n.status}:${n.firing.length}/${n.resolved.length}`).join('+');

describe('the alert core', () => {
  it('fires once after for + group_wait, tells resolved once, and the stream hears each state', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const core = startAlerting(temp.db, policyWith([ruleOf()]), timers, ch.send);
    const heard: string[] = [];
    core.onAlert((a) => heard.push(a.state));
    await rounds(core, timers, [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(core.current().map((a) => a.state)).toEqual(['firing']);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0']);
    // Fired at round 5 (T0 + 60 s), told group_wait (30 s) later.
    expect(ch.delivered[0].at - T0).toBe(90_000);
    const n = ch.delivered[0].notices[0];
    expect(n.firing[0]).toMatchObject({
      name: 'EfileErrors',
      summary: 'E-file error rate at 5 %',
      runbook: KPI.runbook,
    });
    expect(n.externalUrl).toBe('https://kpi.example.gov/');
    await rounds(core, timers, [0, 0]);
    // Resolved is told at the next group_interval flush (5 m after the first notice).
    await timers.advance(300_000);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0', 'resolved:0/1']);
    expect(heard).toEqual(['pending', 'firing', 'resolved']);
    expect(core.current()).toEqual([]);
    await core.stop();
  });

  it('groups alerts of one group into one notice and repeats after repeat_interval', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const other = { ...KPI, id: 'efile-latency', title: 'Latency' };
    const rules = [
      ruleOf({ name: 'A', forMs: 0, labels: { team: 'efile' } }),
      ruleOf({
        name: 'B',
        forMs: 0,
        condition: { kind: 'kpi', kpi: other.id, when: 'critical' },
        labels: { team: 'efile' },
      }),
    ];
    const receiver = receiverOf({
      timing: {
        groupBy: ['team'],
        groupWaitMs: 30_000,
        groupIntervalMs: 60_000,
        repeatIntervalMs: 600_000,
      },
    });
    const core = startAlerting(
      temp.db,
      policyWith(rules, [receiver], [KPI, other]),
      timers,
      ch.send,
    );
    await rounds(core, timers, Array(44).fill(0.05), [KPI, other]);
    // Both in one notice at 30 s; told again at 10 m 30 s (the first flush at or past repeat).
    expect(ch.delivered.map((d) => [d.at - T0, summary(d)])).toEqual([
      [30_000, 'firing:2/0'],
      [630_000, 'firing:2/0'],
    ]);
    expect(ch.delivered[0].notices[0].groupKey).toBe('{team="efile"}');
    await core.stop();
  });

  it('a critical alert inhibits the warning of the same KPI and group', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const rules = [
      ruleOf({
        name: 'Warn',
        forMs: 0,
        severity: 'warning',
        condition: { kind: 'kpi', kpi: KPI.id, when: 'warning' },
      }),
      ruleOf({ name: 'Crit', forMs: 0 }),
    ];
    const core = startAlerting(temp.db, policyWith(rules), timers, ch.send);
    await rounds(core, timers, [0.05, 0.05, 0.05]);
    expect(
      ch.delivered.flatMap((d) => d.notices.flatMap((n) => n.firing.map((a) => a.name))),
    ).toEqual(['Crit']);
    expect(core.current().find((a) => a.name === 'Warn')?.inhibited).toBe(true);
    await core.stop();
  });

  it('a silence mutes matching alerts; expiring it lets the notice out', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const core = startAlerting(temp.db, policyWith([ruleOf({ forMs: 0 })]), timers, ch.send);
    const s = core.silences.add({
      matchers: [{ name: 'kpi', value: 'efile-.*', isRegex: true }],
      endsAt: new Date(T0 + 3_600_000).toISOString(),
      createdBy: 'jane',
      comment: 'deploy',
    });
    expect(s.status).toBe('active');
    await rounds(core, timers, [0.05, 0.05, 0.05]);
    expect(ch.delivered).toEqual([]);
    expect(core.current()[0].silencedBy).toEqual([s.id]);
    expect(core.silences.expire(s.id)?.status).toBe('expired');
    await timers.advance(300_000);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0']);
    expect(() =>
      core.silences.add({
        matchers: [],
        endsAt: '2030-01-01T00:00:00Z',
        createdBy: 'x',
        comment: 'y',
      }),
    ).toThrow(/at least one matcher/);
    await core.stop();
  });

  it('a rate limit turns a burst into one digest', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const names = ['A', 'B', 'C', 'D', 'E'];
    const receiver = receiverOf({
      rateLimit: { max: 2, perMs: 3_600_000 },
      timing: {
        groupBy: ['alertname'],
        groupWaitMs: 0,
        groupIntervalMs: 60_000,
        repeatIntervalMs: 86_400_000,
      },
    });
    const core = startAlerting(
      temp.db,
      policyWith(
        names.map((name) => ruleOf({ name, forMs: 0 })),
        [receiver],
      ),
      timers,
      ch.send,
    );
    await rounds(core, timers, [0.05]);
    // One notice, then the last allowed message carries the other four.
    expect(ch.delivered.map((d) => d.notices.length)).toEqual([1, 4]);
    await rounds(core, timers, [0]);
    await timers.advance(60_000);
    expect(ch.delivered.length).toBe(2);
    // The window frees an hour after the first two messages: the five resolved notices go as
    // one message and a digest of the rest, never five messages.
    await timers.advance(3_600_000);
    expect(ch.delivered.map((d) => d.notices.length)).toEqual([1, 4, 1, 4]);
    expect(ch.delivered[3].notices.every((n) => n.status === 'resolved')).toBe(true);
    await core.stop();
  });

  it('the outbox retries with backoff through an outage and delivers each notice once', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const core = startAlerting(temp.db, policyWith([ruleOf({ forMs: 0 })]), timers, ch.send);
    ch.state.down = true;
    await rounds(core, timers, [0.05, 0.05, 0.05]);
    expect(core.outbox.pending()).toBe(1);
    await timers.advance(600_000);
    ch.state.down = false;
    const back = timers.now();
    await timers.advance(60_000);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0']);
    // Retries back off to at most a minute apart, so it arrives within a minute of recovery.
    expect(ch.delivered[0].at - back).toBeLessThanOrEqual(60_000);
    expect(core.outbox.pending()).toBe(0);
    await core.stop();
  });

  it('a restart while pending fires once; while firing sends no second firing notice and the resolved still comes', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const policy = policyWith([ruleOf()]);
    let core = startAlerting(temp.db, policy, timers, ch.send);
    await rounds(core, timers, [0.05, 0.05]);
    expect(core.current()[0].state).toBe('pending');
    await core.stop();
    temp.db.close();
    temp.db = openDatabase(temp.dir);
    core = startAlerting(temp.db, policy, timers, ch.send);
    expect(core.current()[0]).toMatchObject({
      state: 'pending',
      activeAt: new Date(T0).toISOString(),
    });
    await rounds(core, timers, [0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0']);
    await core.stop();
    temp.db.close();
    temp.db = openDatabase(temp.dir);
    core = startAlerting(temp.db, policy, timers, ch.send);
    await rounds(core, timers, [0.05, 0.05, 0, 0]);
    await timers.advance(600_000);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0', 'resolved:0/1']);
    await core.stop();
  });

  it('a crash after sending but before recording gives exactly one duplicate, same dedup key', async () => {
    const timers = manualTimers(T0);
    const ch = recordingChannels(timers);
    const policy = policyWith([ruleOf({ forMs: 0 })]);
    const core = startAlerting(temp.db, policy, timers, ch.send);
    // The channel takes the notice, then the process "dies" before the outbox records it.
    const crash = {
      ...ch.send,
      webhook: async (...args: Parameters<typeof ch.send.webhook>) => {
        await ch.send.webhook(...args);
        temp.db.close();
        throw new Error('killed');
      },
    };
    const crashing = startAlerting(temp.db, policy, timers, crash);
    await core.stop();
    await crashing.evaluate([readingOf(0.05)], timers.now()).catch(() => {});
    await timers.advance(30_000).catch(() => {});
    await crashing.stop().catch(() => {});
    temp.db = openDatabase(temp.dir);
    const after = startAlerting(temp.db, policy, timers, ch.send);
    await timers.advance(1_000);
    expect(ch.delivered.map(summary)).toEqual(['firing:1/0', 'firing:1/0']);
    expect(ch.delivered[0].notices[0].dedupKey).toBe(ch.delivered[1].notices[0].dedupKey);
    await rounds(after, timers, [0.05, 0.05]);
    await timers.advance(600_000);
    expect(ch.delivered.length).toBe(2);
    await after.stop();
  });
});
