/** Webhooks against a real HTTP receiver on 127.0.0.1: Alertmanager's payload shape, the timestamped HMAC signature, retries, refusals, redirects. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import {
  noSource,
  policyWith,
  readingOf,
  receiverOf,
  ruleOf,
  startAlerting,
} from '#test-support/alerting-fixture.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { waitFor } from '#test-support/wait-for.js';
import { realTimers } from '../../schedule/index.js';
import { type AlertCore, createAlerting } from '../create-alerting.js';
import { realChannels } from './index.js';
import type { WebhookPayload } from './webhook-payload.js';
import { signBody, verifySignature } from './webhook-signature.js';

const temp = useTempDatabase('kpi-alerts-webhook-');
const SECRET = 'a-webhook-secret-of-some-length';

interface Hit {
  readonly body: string;
  readonly signature: string | undefined;
  readonly key: string | undefined;
}

const open: { core?: AlertCore; server?: LocalServer } = {};
afterEach(async () => {
  await open.core?.stop();
  await open.server?.close();
});

/** A receiver that verifies signatures the way a consumer would; `failFirst` answers 503 that many times. */
async function receiver(hits: Hit[], failFirst = 0) {
  let failures = failFirst;
  const app = new Hono().post('/hook', async (c) => {
    const body = await c.req.text();
    if (failures-- > 0) return c.text('busy', 503);
    hits.push({
      body,
      signature: c.req.header('x-kpi-lights-signature-256'),
      key: c.req.header('idempotency-key'),
    });
    return c.body(null, 204);
  });
  open.server = await serveLocal(app);
  return open.server;
}

function start(url: string, secret: string | undefined) {
  const r = receiverOf({
    webhook: { url, headers: { 'X-Team': 'efile' }, secret },
    timing: {
      groupBy: ['alertname'],
      groupWaitMs: 0,
      groupIntervalMs: 50,
      repeatIntervalMs: 3_600_000,
    },
  });
  open.core = startAlerting(
    temp.db,
    policyWith([ruleOf({ forMs: 0, labels: { team: 'efile' } })], [r]),
    realTimers,
    realChannels(),
  );
  return open.core;
}

describe('webhook channel', () => {
  it("posts Alertmanager's version 4 payload, signed with HMAC-SHA256 over its time and body", async () => {
    const hits: Hit[] = [];
    const server = await receiver(hits);
    const core = start(`${server.url}/hook`, SECRET);
    await core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(() => hits.length === 1);
    const hit = hits[0];
    expect(hit.signature).toMatch(/^t=\d+,sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, hit.signature, hit.body, Date.now())).toBeUndefined();
    // Captured and played again later, the same request is refused: its time is part of what
    // is signed, and it is outside the window.
    expect(verifySignature(SECRET, hit.signature, hit.body, Date.now() + 6 * 60_000)).toBe(
      'signed too long ago (or ahead)',
    );
    // A fresh time cannot be put on the old signature.
    const seconds = Math.floor(Date.now() / 1000) + 360;
    const forged = hit.signature?.replace(/^t=\d+/, `t=${seconds}`);
    expect(verifySignature(SECRET, forged, hit.body, seconds * 1000)).toBe(
      'signature does not match',
    );
    expect(verifySignature('another-secret', hit.signature, hit.body, Date.now())).toBe(
      'signature does not match',
    );
    expect(hit.key).toMatch(/^[0-9a-f]{32}$/);
    const payload = JSON.parse(hit.body) as WebhookPayload;
    expect(payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'oncall',
      truncatedAlerts: 0,
      groupLabels: { alertname: 'EfileErrors' },
      commonLabels: {
        alertname: 'EfileErrors',
        severity: 'critical',
        kpi: 'efile-error-rate',
        team: 'efile',
      },
      externalURL: 'https://kpi.example.gov/',
      groupKey: 'oncall:{alertname="EfileErrors"}',
    });
    expect(payload.alerts).toHaveLength(1);
    expect(payload.alerts[0]).toMatchObject({
      status: 'firing',
      endsAt: '0001-01-01T00:00:00Z',
      annotations: {
        summary: 'E-file error rate at 5 %',
        runbook_url: 'https://runbooks.example.gov/efile',
        value: '5 %',
        threshold: '3 %',
        policy_version: '1',
      },
    });
    expect(Date.parse(payload.alerts[0].startsAt)).toBeGreaterThan(0);
    expect(payload.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);

    await core.evaluate([readingOf(0)], Date.now());
    await waitFor(() => hits.length === 2);
    const resolved = JSON.parse(hits[1].body) as WebhookPayload;
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0].status).toBe('resolved');
    expect(Date.parse(resolved.alerts[0].endsAt)).toBeGreaterThan(0);
  });

  it('unsigned without a secret; a 503 is retried until it is taken', async () => {
    const hits: Hit[] = [];
    const server = await receiver(hits, 2);
    const core = start(`${server.url}/hook`, undefined);
    await core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(() => hits.length === 1, { timeoutMs: 15_000 });
    expect(hits[0].signature).toBeUndefined();
    // Marked sent once the answer is read, a moment after the receiver saw it.
    await waitFor(() => core.outbox.pending() === 0);
  }, 20_000);

  it('gives up a notice the receiver refuses (413), after three tries; the next notice does not wait', async () => {
    const taken: WebhookPayload[] = [];
    const refused: number[] = [];
    const app = new Hono().post('/hook', async (c) => {
      const body = await c.req.text();
      if (body.length > 5_000) {
        refused.push(body.length);
        return c.text('too large', 413);
      }
      taken.push(JSON.parse(body) as WebhookPayload);
      return c.body(null, 204);
    });
    open.server = await serveLocal(app);
    const r = receiverOf({
      webhook: {
        url: `${open.server.url}/hook?token=hook-secret-0123`,
        headers: {},
        secret: undefined,
      },
      timing: {
        groupBy: ['alertname'],
        groupWaitMs: 0,
        groupIntervalMs: 50,
        repeatIntervalMs: 3_600_000,
      },
    });
    const reports: string[] = [];
    open.core = createAlertingFor(
      policyWith(
        [
          ruleOf({ name: 'Big', forMs: 0, labels: { note: 'x'.repeat(6_000) } }),
          ruleOf({ name: 'Small', forMs: 0 }),
        ],
        [r],
      ),
      (m, e) => reports.push(`${m} ${e instanceof Error ? e.message : ''}`),
    );
    await open.core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(() => taken.length === 1);
    expect(taken[0].groupLabels).toEqual({ alertname: 'Small' });
    await waitFor(() => open.core?.outbox.pending() === 0, { timeoutMs: 15_000 });
    expect(refused).toHaveLength(3);
    const [given] = open.core.outbox.givenUp();
    expect(given).toMatchObject({ destination: 'oncall/webhook', reason: 'refused' });
    expect(given.lastError).toBe(`webhook ${open.server.url} answered 413`);
    expect(open.core.outbox.stats().givenUp).toEqual([
      { receiver: 'oncall', channel: 'webhook', reason: 'refused', count: 1 },
    ]);
    // Neither the outbox nor the log says the webhook's path or token.
    expect(reports.join('\n')).not.toMatch(/hook-secret|\/hook/);
  }, 20_000);

  it('never follows a redirect to another origin with the signed body', async () => {
    const elsewhere: string[] = [];
    const other = await serveLocal(
      new Hono().post('/steal', async (c) => {
        elsewhere.push(await c.req.text());
        return c.body(null, 204);
      }),
    );
    const app = new Hono().post('/hook', (c) => c.redirect(`${other.url}/steal`, 307));
    open.server = await serveLocal(app);
    const core = start(`${open.server.url}/hook`, SECRET);
    await core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(async () => {
      const rows = temp.db
        .prepare('SELECT last_error FROM alert_outbox WHERE last_error IS NOT NULL')
        .all() as { last_error: string }[];
      return rows.length > 0;
    });
    const [row] = temp.db.prepare('SELECT last_error FROM alert_outbox').all() as {
      last_error: string;
    }[];
    expect(row.last_error).toContain(`redirect from ${open.server.url} to another origin`);
    expect(elsewhere).toEqual([]);
    await other.close();
  });

  it('signs the time it sends at', () => {
    const at = Date.UTC(2026, 11, 7, 12);
    const header = signBody(SECRET, '{}', at);
    expect(header.startsWith(`t=${at / 1000},sha256=`)).toBe(true);
    expect(verifySignature(SECRET, header, '{}', at + 299_000)).toBeUndefined();
    expect(verifySignature(SECRET, header, '{"x":1}', at)).toBe('signature does not match');
  });
});

function createAlertingFor(
  policy: ReturnType<typeof policyWith>,
  report: (message: string, err?: unknown) => void,
): AlertCore {
  const core = createAlerting({
    database: temp.db,
    policy,
    policyVersion: 1,
    source: noSource,
    send: realChannels(),
    timers: realTimers,
    report,
    outbox: { firstRetryMs: 50, maxRetryMs: 200 },
  });
  core.start();
  return core;
}
