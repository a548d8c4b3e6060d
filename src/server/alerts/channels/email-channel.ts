/** E-mail through nodemailer over SMTP: STARTTLS and auth by option, one transport per receiver. */
import { createTransport, type Transporter } from 'nodemailer';
import type { EmailReceiver, Receiver } from '../../policy/types.js';
import type { ChannelSend } from '../outbox.js';
import { emailMessage } from './email-message.js';

/** Options of {@link emailChannel}. */
export interface EmailChannelOptions {
  /** Connection, greeting and socket limits, ms. Default 10 s. */
  readonly timeoutMs?: number;
  /** Trust a self-signed certificate (tests only). Default false. */
  readonly allowSelfSigned?: boolean;
}

function transportFor(e: EmailReceiver, options: EmailChannelOptions): Transporter {
  const timeout = options.timeoutMs ?? 10_000;
  return createTransport({
    url: e.smtp,
    requireTLS: e.starttls === 'required',
    ignoreTLS: e.starttls === 'off',
    ...(e.username !== undefined ? { auth: { user: e.username, pass: e.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: !options.allowSelfSigned },
  });
}

/**
 * The e-mail channel. The dedup key becomes the `Message-ID`, so a mail store can drop the
 * one duplicate a crash between send and record can cause. Transports are kept per receiver
 * configuration and rebuilt when it changes.
 *
 * @example
 * ```ts
 * const send = emailChannel();
 * await send(receiver, [notice], AbortSignal.timeout(30_000));
 * ```
 */
export function emailChannel(options: EmailChannelOptions = {}): ChannelSend {
  const transports = new Map<string, { config: string; transport: Transporter }>();
  return async function sendEmail(receiver: Receiver, notices, signal) {
    const e = receiver.email;
    if (!e) throw new Error(`receiver ${receiver.name} has no email`);
    const config = JSON.stringify(e);
    let t = transports.get(receiver.name);
    if (!t || t.config !== config) {
      t?.transport.close();
      t = { config, transport: transportFor(e, options) };
      transports.set(receiver.name, t);
    }
    signal.throwIfAborted();
    const { subject, text, html } = emailMessage(notices);
    const key =
      notices.length === 1 ? notices[0].dedupKey : notices.map((n) => n.dedupKey).join('.');
    await t.transport.sendMail({
      from: e.from,
      to: [...e.to],
      subject,
      text,
      html,
      messageId: `<${key.slice(0, 64)}@kpi-lights>`,
      headers: { 'X-Kpi-Lights-Dedup-Key': key },
    });
  };
}
