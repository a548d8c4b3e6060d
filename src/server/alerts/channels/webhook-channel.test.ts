/** Webhooks against a real HTTP receiver on 127.0.0.1: Alertmanager's payload shape, the HMAC signature, retries. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import {
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
import type { AlertCore } from '../create-alerting.js';
import { realChannels } from './index.js';
import type { WebhookPayload } from './webhook-payload.js';

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
  it("posts Alertmanager's version 4 payload, signed with HMAC-SHA256", async () => {
    const hits: Hit[] = [];
    const server = await receiver(hits);
    const core = start(`${server.url}/hook`, SECRET);
    await core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(() => hits.length === 1);
    const hit = hits[0];
    const expected = `sha256=${createHmac('sha256', SECRET).update(hit.body).digest('hex')}`;
    expect(hit.signature).toBeDefined();
    expect(timingSafeEqual(Buffer.from(hit.signature ?? ''), Buffer.from(expected))).toBe(true);
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
});
