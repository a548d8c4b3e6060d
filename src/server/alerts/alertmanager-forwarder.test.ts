import { describe, expect, it } from 'vitest';
import {
  policyWith,
  readingOf,
  receiverOf,
  recordingChannels,
  ruleOf,
} from '#test-support/alerting-fixture.js';
import { manualTimers } from '#test-support/manual-timers.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { createAlerting } from './create-alerting.js';
import type { NoticeAlert } from './notification.js';

const temp = useTempDatabase('kpi-forward-');
const T0 = 1_800_000_000_000;

/** A receiver forwarding to an Alertmanager only, with slow notice timing that must not matter. */
const am = receiverOf({
  name: 'am',
  webhook: undefined,
  alertmanager: { url: 'http://127.0.0.1:9093' },
  timing: {
    groupBy: ['alertname'],
    groupWaitMs: 600_000,
    groupIntervalMs: 600_000,
    repeatIntervalMs: 86_400_000,
  },
});

function setup(resendDelayMs = 60_000) {
  const timers = manualTimers(T0);
  const channels = recordingChannels(timers);
  const policy = policyWith([ruleOf({ forMs: 0, notify: ['am'] })], [am]);
  const core = createAlerting({
    database: temp.db,
    policy,
    policyVersion: 1,
    source: {
      instant: async () => ({ resultType: 'vector', result: [] }),
      range: async () => ({ resultType: 'matrix', result: [] }),
    },
    send: channels.send,
    timers,
    forwarding: { resendDelayMs, alertUrl: (a) => `https://kpi.example.gov/api/v1/alerts/${a.id}` },
    report: () => {},
  });
  core.start();
  /** Posts to the Alertmanager so far: each one's firing and resolved alerts and endsAt. */
  const posts = () =>
    channels.delivered.filter((d) => d.channel === 'alertmanager').map((d) => d.notices[0]);
  const round = (value: number, at: number) => core.evaluate([readingOf(value)], T0 + at);
  return { core, channels, posts, round };
}

const values = (alerts: readonly NoticeAlert[]) => alerts.map((a) => a.valueText);

describe('forwarding to Alertmanager as Prometheus sends', () => {
  it('sends a firing alert at once, again each resend delay with its current value, endsAt four resends ahead', async () => {
    const { core, posts, round } = setup();
    try {
      await round(0.05, 0);
      expect(posts()).toHaveLength(1);
      const [first] = posts();
      expect(values(first.firing)).toEqual(['5 %']);
      expect(first.firing[0].generatorUrl).toBe(
        `https://kpi.example.gov/api/v1/alerts/${first.firing[0].id}`,
      );
      // 4 × max(resend delay 1 m, evaluation interval 15 s).
      expect(first.endsAt).toBe(T0 + 4 * 60_000);
      await round(0.06, 15_000);
      await round(0.07, 45_000);
      expect(posts()).toHaveLength(1);
      await round(0.08, 60_000);
      expect(posts()).toHaveLength(2);
      expect(values(posts()[1].firing)).toEqual(['8 %']);
      expect(posts()[1].endsAt).toBe(T0 + 60_000 + 4 * 60_000);
    } finally {
      await core.stop();
    }
  });

  it('resolves explicitly, tells it again each resend delay for 15 minutes, then no more', async () => {
    const { core, posts, round } = setup();
    try {
      await round(0.05, 0);
      await round(0, 15_000);
      expect(posts()).toHaveLength(2);
      const resolve = posts()[1];
      expect(resolve.firing).toEqual([]);
      expect(resolve.resolved.map((a) => a.resolvedAt)).toEqual([
        new Date(T0 + 15_000).toISOString(),
      ]);
      for (let t = 30_000; t <= 20 * 60_000; t += 15_000) await round(0, t);
      // One more each minute while the resolve is within 15 minutes of it.
      const resends = posts().slice(2);
      expect(resends.length).toBe(14);
      for (const p of resends)
        expect(p.resolved[0].resolvedAt).toBe(resolve.resolved[0].resolvedAt);
    } finally {
      await core.stop();
    }
  });

  it('posts again next round after a failure, never a queued old state', async () => {
    const { core, channels, posts, round } = setup();
    try {
      channels.state.down = true;
      await round(0.05, 0);
      await round(0.06, 15_000);
      expect(posts()).toHaveLength(0);
      channels.state.down = false;
      await round(0.07, 30_000);
      expect(posts()).toHaveLength(1);
      expect(values(posts()[0].firing)).toEqual(['7 %']);
    } finally {
      await core.stop();
    }
  });

  it('leaves out a newly firing alert kpi-lights silences, but keeps one already told up to date', async () => {
    const { core, posts, round } = setup();
    try {
      const silence = core.silences.add({
        matchers: [{ name: 'alertname', value: 'EfileErrors', isRegex: false }],
        startsAt: new Date(T0 - 1).toISOString(),
        endsAt: new Date(T0 + 30_000).toISOString(),
        createdBy: 'test',
        comment: 'deploy',
      });
      await round(0.05, 0);
      expect(posts()).toHaveLength(0);
      core.silences.expire(silence.id);
      await round(0.05, 15_000);
      expect(posts()).toHaveLength(1);
      core.silences.add({
        matchers: [{ name: 'alertname', value: 'EfileErrors', isRegex: false }],
        endsAt: new Date(T0 + 3_600_000).toISOString(),
        createdBy: 'test',
        comment: 'later',
      });
      await round(0.05, 75_000);
      expect(posts()).toHaveLength(2);
    } finally {
      await core.stop();
    }
  });
});
