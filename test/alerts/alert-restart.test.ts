/** Restarts: a real `kpi-lights serve` process killed with SIGKILL while an alert is pending and while it fires; one page, and the resolved notice still comes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { type MailSink, startMailSink } from '../../demo/mail/mail-sink.js';
import type { AlertInfo } from '../../src/sdk/types.js';

const FOR_MS = 3_000;
const TEST_BOUND_MS = 60_000;

function policy(target: string, smtpPort: number): string {
  return `
scrape: { interval: 200ms, timeout: 200ms }
targets:
  - url: ${target}/metrics
    labels: { service: queue }
kpis:
  - id: backlog
    title: Filing backlog
    query: max(filing_backlog)
    unit: count
    thresholds: { warning: 50, critical: 100 }
alerts:
  - name: BacklogHigh
    kpi: backlog
    when: critical
    for: ${FOR_MS}ms
    severity: page
    runbook: https://intranet.example.gov/runbooks/backlog
    notify: [oncall]
route: { group_by: [alertname], group_wait: 100ms, group_interval: 500ms, repeat_interval: 1h }
receivers:
  oncall:
    email: { to: oncall@agency.example.gov, from: kpi-lights@agency.example.gov, smtp: "smtp://127.0.0.1:${smtpPort}", starttls: off }
evaluation: { interval: 200ms }
`;
}

/** One `kpi-lights serve` process: `node --import tsx`, so SIGKILL reaches the server itself, not a wrapper. */
interface Served {
  readonly child: ChildProcess;
  readonly url: string;
}

function serve(config: string, dataDir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/server/cli/cli.ts',
      'serve',
      '--config',
      config,
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url) {
        child.stdout?.off('data', onData);
        resolve({ child, url });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

function kill(served: Served): Promise<void> {
  return new Promise((resolve) => {
    served.child.once('exit', () => resolve());
    served.child.kill('SIGKILL');
  });
}

async function alerts(served: Served): Promise<AlertInfo[]> {
  try {
    const res = await fetch(`${served.url}/api/v1/alerts`);
    return res.ok ? ((await res.json()) as AlertInfo[]) : [];
  } catch {
    return [];
  }
}

/** Polls until the server reports the alert in `state`. */
async function untilState(served: Served, state: AlertInfo['state']): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await alerts(served)).some((a) => a.state === state)) {
    if (Date.now() > deadline) throw new Error(`no ${state} alert within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function roundsDone(served: Served): Promise<number> {
  const text = await (await fetch(`${served.url}/metrics`)).text();
  return Number(/^kpi_lights_evaluation_rounds_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * Waits for `n` more evaluation rounds of the server, each followed by its alert round: longer
 * than the route's group interval at 5 rounds, so a notice the server owed would be out.
 */
async function untilRounds(served: Served, n: number): Promise<void> {
  const target = (await roundsDone(served)) + n;
  await waitFor(async () => (await roundsDone(served)) >= target, {
    timeoutMs: 10_000,
    everyMs: 50,
  });
}

describe('alerts across SIGKILL restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lights-restart-'));
  let backlog = 0;
  let target: LocalServer;
  let sink: MailSink;
  let served: Served | undefined;

  beforeAll(async () => {
    sink = await startMailSink(0);
    target = await serveLocal(
      new Hono().get('/metrics', (c) =>
        c.text(`# TYPE filing_backlog gauge\nfiling_backlog ${backlog}\n`),
      ),
    );
    writeFileSync(join(dir, 'kpi-lights.yaml'), policy(target.url, sink.port));
  });

  afterAll(async () => {
    if (served) await kill(served);
    await Promise.all([target?.close(), sink?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'pages once and still sends the resolved notice',
    async () => {
      const config = join(dir, 'kpi-lights.yaml');
      const data = join(dir, 'data');
      served = await serve(config, data);

      // Killed while pending: the restarted server goes on counting `for` and fires once.
      backlog = 150;
      await untilState(served, 'pending');
      await kill(served);
      served = await serve(config, data);
      await waitFor(() => sink.messages().length >= 1, { timeoutMs: 10_000, everyMs: 50 });

      // Killed while firing, after the page went out: the next server sends no second page.
      await untilState(served, 'firing');
      await kill(served);
      served = await serve(config, data);
      await untilState(served, 'firing');
      await untilRounds(served, 5);
      expect(sink.messages()).toHaveLength(1);

      backlog = 0;
      await waitFor(() => sink.messages().length >= 2, { timeoutMs: 10_000, everyMs: 50 });
      await untilRounds(served, 5);
      const subjects = sink.messages().map((m) => m.subject);
      expect(subjects).toHaveLength(2);
      expect(subjects[0]).toMatch(/firing/i);
      expect(subjects[1]).toMatch(/resolved/i);
    },
    TEST_BOUND_MS,
  );
});
