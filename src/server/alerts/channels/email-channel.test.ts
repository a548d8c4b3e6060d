/** E-mail against a real SMTP server in-process: the message, STARTTLS refusal, and an outage with no loss and no repeat. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KPI,
  policyWith,
  readingOf,
  receiverOf,
  ruleOf,
  startAlerting,
} from '#test-support/alerting-fixture.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { waitFor } from '#test-support/wait-for.js';
import { realTimers } from '../../schedule/index.js';
import type { AlertCore } from '../create-alerting.js';
import { realChannels } from './index.js';

const temp = useTempDatabase('kpi-alerts-email-');

interface Mail {
  readonly raw: string;
  /** The message as it came over the wire, before any decoding. */
  readonly wire: string;
  readonly subject: string;
  readonly dedupKey: string;
  readonly recipients: readonly string[];
}

/** The text of every part of a message, base64 and quoted-printable parts decoded. */
function partsText(wire: string): string {
  return wire.replace(
    /Content-Transfer-Encoding: base64\r\n((?:[^\r\n]+\r\n)*)\r\n([A-Za-z0-9+/=\r\n]+)/g,
    (_all, _headers: string, data: string) =>
      Buffer.from(data.replace(/\r\n/g, ''), 'base64').toString('utf8'),
  );
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as a mail reader does. */
function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_all, enc: string, data: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
      const bytes = data
        .replace(/_/g, ' ')
        .replace(/=([0-9A-F]{2})/gi, (_m, h: string) =>
          String.fromCharCode(Number.parseInt(h, 16)),
        );
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

/** Undoes quoted-printable soft breaks and escapes, enough to search the body. */
function unfold(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function smtpSink(mails: Mail[], port = 0): Promise<SMTPServer & { port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        const subject =
          /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1].replace(/\r?\n[ \t]/g, ' ') ?? '';
        const dedupKey = /^X-Kpi-Lights-Dedup-Key: (.*)$/m.exec(raw)?.[1].trim() ?? '';
        mails.push({
          raw: unfold(raw),
          wire: raw,
          subject,
          dedupKey,
          recipients: session.envelope.rcptTo.map((r) => r.address),
        });
        done();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(Object.assign(server, { port: (server.server.address() as AddressInfo).port }));
    });
  });
}

const closeSink = (s: SMTPServer) => new Promise<void>((r) => s.close(() => r()));

const fast = {
  groupBy: ['alertname'],
  groupWaitMs: 0,
  groupIntervalMs: 50,
  repeatIntervalMs: 3_600_000,
};
const open: { core?: AlertCore; sinks: SMTPServer[] } = { sinks: [] };
afterEach(async () => {
  await open.core?.stop();
  for (const s of open.sinks.splice(0)) await closeSink(s);
});

function emailReceiver(
  port: number,
  starttls: 'required' | 'opportunistic' | 'off' = 'opportunistic',
) {
  return receiverOf({
    webhook: undefined,
    email: {
      to: ['oncall@example.gov'],
      from: 'kpi-lights@example.gov',
      smtp: `smtp://127.0.0.1:${port}`,
      starttls,
      username: undefined,
      password: undefined,
    },
    timing: fast,
  });
}

function start(port: number, names: string[], starttls?: 'required') {
  const rules = names.map((name) => ruleOf({ name, forMs: 0 }));
  const core = startAlerting(
    temp.db,
    policyWith(rules, [emailReceiver(port, starttls)]),
    realTimers,
    realChannels({ timeoutMs: 2_000 }),
  );
  open.core = core;
  return core;
}

describe('email channel', () => {
  it('sends a text and HTML mail with subject, runbook link and policy version', async () => {
    const mails: Mail[] = [];
    const sink = await smtpSink(mails);
    open.sinks.push(sink);
    const core = start(sink.port, ['EfileErrors']);
    const fired = performance.now();
    await core.evaluate([readingOf(0.0523)], Date.now());
    await waitFor(() => mails.length === 1, { everyMs: 1 });
    // From the round that fires it (for: 0s, group_wait: 0s) to the mail in the SMTP server.
    const delayMs = performance.now() - fired;
    console.info(`alert email delay after for: ${delayMs.toFixed(0)} ms`);
    expect(delayMs).toBeLessThan(2_000);
    const m = mails[0];
    expect(m.subject).toBe('[FIRING:1] EfileErrors (critical): E-file error rate at 5.23 %');
    expect(m.raw).toContain('Runbook: https://runbooks.example.gov/efile');
    expect(m.raw).toContain(`<a href="${KPI.runbook}">`);
    expect(m.raw).toContain('Policy version: 1');
    expect(m.raw).toContain('Threshold: 3 %');
    expect(m.raw).toContain('Page: https://kpi.example.gov/');
    expect(m.raw).toMatch(/Content-Type: text\/plain/);
    expect(m.raw).toMatch(/Content-Type: text\/html/);
    expect(m.raw).toContain(`Message-ID: <${m.dedupKey}@kpi-lights>`);
  });

  it('starttls: required refuses a server without STARTTLS (and keeps the notice)', async () => {
    const mails: Mail[] = [];
    const sink = await smtpSink(mails);
    open.sinks.push(sink);
    const core = start(sink.port, ['EfileErrors'], 'required');
    await core.evaluate([readingOf(0.05)], Date.now());
    // One delivery pass: the refusal has happened when it ends.
    await core.outbox.deliver();
    expect(mails).toEqual([]);
    expect(core.outbox.pending()).toBe(1);
  });

  it('an SMTP outage: every notice arrives once it is back, none twice', async () => {
    const mails: Mail[] = [];
    let sink = await smtpSink(mails);
    const port = sink.port;
    await closeSink(sink);
    const names = ['A', 'B', 'C'];
    const core = start(port, names);
    const t0 = Date.now();
    await core.evaluate([readingOf(0.05)], t0);
    await core.outbox.deliver();
    await core.evaluate([readingOf(0)], t0 + 100);
    await core.outbox.deliver();
    // Three firing and three resolved notices wait while the server is down.
    expect(mails).toEqual([]);
    expect(core.outbox.pending()).toBe(6);
    sink = await smtpSink(mails, port);
    open.sinks.push(sink);
    await waitFor(() => core.outbox.pending() === 0, { timeoutMs: 20_000 });
    // One more pass: a notice sent twice would be in the sink by its end.
    await core.outbox.deliver();
    expect(mails.map((m) => m.subject.split(' ')[0]).sort()).toEqual([
      '[FIRING:1]',
      '[FIRING:1]',
      '[FIRING:1]',
      '[RESOLVED]',
      '[RESOLVED]',
      '[RESOLVED]',
    ]);
    expect(new Set(mails.map((m) => m.dedupKey)).size).toBe(6);
  }, 30_000);

  it('hostile labels: the subject is one capped line without control or bidi characters, and no value forges a line', async () => {
    const mails: Mail[] = [];
    const sink = await smtpSink(mails);
    open.sinks.push(sink);
    const evil = `IRS\r\nBcc: thief@evil.example\r\n\u202egnp.exe ${'x'.repeat(4_000)}`;
    const rule = ruleOf({
      name: 'EfileErrors',
      forMs: 0,
      labels: { agency: evil },
      summary: `agency ${evil}`,
      description: `first line\nBcc: thief@evil.example`,
    });
    open.core = startAlerting(
      temp.db,
      policyWith([rule], [emailReceiver(sink.port)]),
      realTimers,
      realChannels({ timeoutMs: 2_000 }),
    );
    await open.core.evaluate([readingOf(0.05)], Date.now());
    await waitFor(() => mails.length === 1);
    const m = mails[0];
    const subject = decodeWords(m.subject);
    expect([...subject]).toHaveLength(250);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject).toMatch(
      /^\[FIRING:1\] EfileErrors \(critical\): agency IRS Bcc: thief@evil\.example gnp\.exe x+…$/,
    );
    expect(subject).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    // Folded: no line of the message passes RFC 5322's 998, the subject's none past 78.
    const lines = m.wire.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    const headers = m.wire.slice(0, m.wire.indexOf('\r\n\r\n')).split(/\r\n(?![ \t])/);
    const subjectHeader = headers.find((h) => h.startsWith('Subject:')) ?? '';
    expect(Math.max(...subjectHeader.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(78);
    // Only the configured recipient, and no header but the ones sent.
    expect(m.recipients).toEqual(['oncall@example.gov']);
    expect(headers.some((h) => /^bcc:/i.test(h))).toBe(false);
    // In the text part no value starts a line of its own.
    const text = unfold(partsText(m.wire)).replace(/\r\n/g, '\n');
    expect(text).toContain('Description: first line\n  Bcc: thief@evil.example');
    expect(text).toContain('Labels: agency=IRS Bcc: thief@evil.example gnp.exe xxx');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).not.toContain('\u202e');
  });
});
