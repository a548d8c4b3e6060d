/** Kill kpi-lights while an alert fires into a real Alertmanager: Alertmanager resolves it within four resends. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertmanagerProcess,
  alertmanagerBinary,
  startAlertmanager,
} from '#test-support/alertmanager-process.js';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';

const binary = alertmanagerBinary();
if (!binary) console.warn('skipping the Alertmanager resolve test: no alertmanager binary on PATH');

/** The resend delay the test runs with: short, so four of them pass in seconds. */
const RESEND_MS = 1_000;

interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly status: { readonly state: string };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function policy(target: string, am: string): string {
  return `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${target}/metrics
    labels: { service: efile }
kpis:
  - id: error-ratio
    title: Error ratio
    query: max(error_ratio)
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
alerts:
  - name: ErrorRatioHigh
    kpi: error-ratio
    when: critical
    for: 0s
    severity: page
    summary: "{{ $kpi }} is {{ $value }}, at or above {{ $threshold }}"
    notify: [am]
receivers:
  am:
    alertmanager: { url: ${am} }
evaluation: { interval: 1s }
`;
}

describe.skipIf(!binary)('Alertmanager and a sender that dies', () => {
  it('resolves the alert within four resend delays of the last post', async () => {
    const am: AlertmanagerProcess = await startAlertmanager(binary ?? '');
    cleanups.push(() => am.stop());
    const target = await serveLocal(
      new Hono().get('/metrics', (c) => c.text('# TYPE error_ratio gauge\nerror_ratio 0.5\n')),
    );
    cleanups.push(() => target.close());
    const dir = mkdtempSync(join(tmpdir(), 'kpi-am-kill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'kpi-lights.yaml'), policy(target.url, am.url));
    const { child, done } = runCli(
      [
        'serve',
        '--config',
        join(dir, 'kpi-lights.yaml'),
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--rules.alert.resend-delay',
        `${RESEND_MS}ms`,
      ],
      {},
      'tsx',
    );
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      await done;
    });
    const url = await servedUrl(child);

    const active = async () =>
      ((await (await fetch(`${am.url}/api/v2/alerts`)).json()) as GettableAlert[]).filter(
        (a) => a.labels.alertname === 'ErrorRatioHigh',
      );
    let listed: GettableAlert[] = [];
    await waitFor(async () => (listed = await active()).length === 1, {
      timeoutMs: 30_000,
      everyMs: 100,
    });
    const [alert] = listed;
    expect(alert.status.state).toBe('active');
    expect(alert.annotations).toMatchObject({
      summary: 'Error ratio is 50 %, at or above 3 %',
      value: '50 %',
      threshold: '3 %',
    });
    // generatorURL is the alert in kpi-lights, and it answers.
    expect(alert.generatorURL).toMatch(new RegExp(`^${url}/api/v1/alerts/[0-9a-f]{16}$`));
    const own = (await (await fetch(alert.generatorURL)).json()) as { name: string; state: string };
    expect(own).toMatchObject({ name: 'ErrorRatioHigh', state: 'firing' });

    // Resent: the end Alertmanager holds moves on with each post.
    const firstEnd = Date.parse(alert.endsAt);
    await waitFor(async () => Date.parse((await active())[0]?.endsAt ?? '0') > firstEnd, {
      timeoutMs: 10 * RESEND_MS,
      everyMs: 100,
    });
    const [resent] = await active();
    // endsAt = last post + 4 × max(resend delay, evaluation interval of 1 s).
    expect(Date.parse(resent.endsAt) - Date.now()).toBeLessThanOrEqual(4 * RESEND_MS);

    process.kill(-(child.pid ?? 0), 'SIGKILL');
    const killedAt = Date.now();
    await done;
    await waitFor(async () => (await active()).length === 0, { timeoutMs: 20_000, everyMs: 100 });
    const took = Date.now() - killedAt;
    console.log(`Alertmanager resolved the alert ${took} ms after kpi-lights was killed`);
    // The last post came before the kill and its endsAt is four resends on; a second more
    // covers the 100 ms polling and a busy machine's scheduling.
    expect(took).toBeLessThanOrEqual(4 * RESEND_MS + 1_000);
  }, 90_000);
});
