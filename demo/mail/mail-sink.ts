/** The demo's local SMTP server: accepts every message on 127.0.0.1 and keeps it for the mail page. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ReceivedMail, readMail } from './read-mail.js';

/** A listening sink. */
export interface MailSink {
  readonly port: number;
  /** Every message received, oldest first. */
  messages(): readonly ReceivedMail[];
  /** Called with each message as it arrives. */
  onMail(listener: (mail: ReceivedMail) => void): void;
  close(): Promise<void>;
}

/** Keeps the newest messages only, so a long demo cannot fill memory. */
const KEEP = 200;

/**
 * Starts an SMTP server that takes any sender and recipient without auth or TLS: it listens on
 * 127.0.0.1 only and delivers nowhere. Port 0 picks a free one (tests).
 *
 * @example
 * ```ts
 * const sink = await startMailSink(DEMO_PORTS.smtp);
 * sink.onMail((m) => console.log(`[mail] ${m.subject}`));
 * ```
 */
export function startMailSink(port: number): Promise<MailSink> {
  const received: ReceivedMail[] = [];
  const listeners: ((mail: ReceivedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'kpi-lights demo mail sink',
    size: 1024 * 1024,
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = readMail(Buffer.concat(chunks).toString('utf8'), new Date());
        received.push(mail);
        if (received.length > KEEP) received.shift();
        for (const listener of listeners) listener(mail);
        done();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', (err) => console.error(`[mail] ${err.message}`));
      resolve({
        port: (server.server.address() as AddressInfo).port,
        messages: () => received,
        onMail: (listener) => listeners.push(listener),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
