/** Forwarding to a real Alertmanager on 127.0.0.1: the alert is read back from its API, then resolved. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  policyWith,
  readingOf,
  receiverOf,
  ruleOf,
  startAlerting,
} from '#test-support/alerting-fixture.js';
import {
  type AlertmanagerProcess,
  alertmanagerBinary,
  startAlertmanager,
} from '#test-support/alertmanager-process.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { waitFor } from '#test-support/wait-for.js';
import { realTimers } from '../../schedule/index.js';
import { realChannels } from './index.js';

const binary = alertmanagerBinary();
if (!binary) console.warn('alertmanager forward test skipped: no alertmanager binary on PATH');

const temp = useTempDatabase('kpi-alerts-am-');

interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: { readonly state: string };
}

describe.skipIf(!binary)('Alertmanager forward', () => {
  let am: AlertmanagerProcess;
  beforeAll(async () => {
    am = await startAlertmanager(binary ?? '');
  }, 20_000);
  afterAll(() => am?.stop());

  it('posts to /api/v2/alerts; Alertmanager lists it, then holds it resolved', async () => {
    const receiver = receiverOf({
      webhook: undefined,
      alertmanager: { url: am.url },
      timing: {
        groupBy: ['alertname'],
        groupWaitMs: 0,
        groupIntervalMs: 50,
        repeatIntervalMs: 60_000,
      },
    });
    const policy = policyWith([ruleOf({ forMs: 0, labels: { agency: 'IRS' } })], [receiver]);
    const core = startAlerting(temp.db, policy, realTimers, realChannels());
    const alerts = async () =>
      (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as GettableAlert[];
    try {
      await core.evaluate([readingOf(0.05)], Date.now());
      let listed: GettableAlert[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && listed.length === 0; ) {
        listed = await alerts();
        if (listed.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(listed).toHaveLength(1);
      expect(listed[0].labels).toEqual({
        alertname: 'EfileErrors',
        severity: 'critical',
        kpi: 'efile-error-rate',
        agency: 'IRS',
      });
      expect(listed[0].annotations).toMatchObject({
        summary: 'E-file error rate at 5 %',
        runbook_url: 'https://runbooks.example.gov/efile',
      });
      expect(listed[0].status.state).toBe('active');
      // Ends four notice intervals ahead unless told again.
      expect(Date.parse(listed[0].endsAt) - Date.now()).toBeGreaterThan(3 * 60_000);

      await core.evaluate([readingOf(0)], Date.now());
      await waitFor(() => core.outbox.pending() === 0);
      await new Promise((r) => setTimeout(r, 200));
      const after = await (
        await fetch(
          `${am.url}/api/v2/alerts?active=false&silenced=false&inhibited=false&unprocessed=false`,
        )
      ).json();
      const all = (await alerts()).concat(after as GettableAlert[]);
      // Resolved: its endsAt is now in the past, so Alertmanager no longer lists it as active.
      expect(all.filter((a) => a.status.state === 'active')).toEqual([]);
    } finally {
      await core.stop();
    }
  }, 30_000);
});
