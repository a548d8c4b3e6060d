/** The demo's SMTP sink and mail page: a real nodemailer message in, the page lists it decoded and escaped. */
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailPage } from '../../demo/mail/mail-page.js';
import { type MailSink, startMailSink } from '../../demo/mail/mail-sink.js';

let sink: MailSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('the demo mail sink', () => {
  it('receives what nodemailer sends and shows it on the page', async () => {
    sink = await startMailSink(0);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'kpi-lights@agency.example.gov',
      to: 'oncall@agency.example.gov',
      subject: '[FIRING] E-file error rate ≥ 3 % <now>',
      text: `E-file error rate is 5.1 % (critical at 3 %).\nRunbook: https://intranet.example.gov/runbooks/efile-errors\n${'long line '.repeat(20)}`,
      html: '<p>E-file error rate is 5.1 %</p>',
    });
    transport.close();
    const [mail] = sink.messages();
    expect(mail).toMatchObject({
      subject: '[FIRING] E-file error rate ≥ 3 % <now>',
      to: 'oncall@agency.example.gov',
    });
    expect(mail.text).toContain('Runbook: https://intranet.example.gov/runbooks/efile-errors');
    expect(mail.text).toContain('long line long line');

    const page = createMailPage(sink);
    const res = await page.request('/');
    const body = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(body).toContain('[FIRING] E-file error rate ≥ 3 % &lt;now&gt;');
    expect(await (await page.request('/mail.json')).json()).toEqual([mail]);
  });
});
