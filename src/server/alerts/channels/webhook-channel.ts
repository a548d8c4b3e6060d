/** Webhooks: Alertmanager's payload POSTed as JSON, HMAC-SHA256 signed when the receiver has a secret. */
import { createHmac } from 'node:crypto';
import type { Receiver } from '../../policy/types.js';
import type { ChannelSend } from '../outbox.js';
import { webhookPayload } from './webhook-payload.js';

/** The header carrying the signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'X-Kpi-Lights-Signature-256';

/**
 * The signature header's value for a body.
 *
 * @example
 * ```ts
 * signBody('secret', body) === request.headers.get('x-kpi-lights-signature-256'); // a genuine request
 * ```
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The webhook channel: a 2xx answer is delivered, anything else is retried by the outbox. The
 * dedup key goes in `Idempotency-Key`.
 *
 * @example
 * ```ts
 * const send = webhookChannel();
 * await send(receiver, [notice], AbortSignal.timeout(30_000));
 * ```
 */
export function webhookChannel(fetchImpl: typeof fetch = fetch): ChannelSend {
  return async function sendWebhook(receiver: Receiver, notices, signal) {
    const w = receiver.webhook;
    if (!w) throw new Error(`receiver ${receiver.name} has no webhook`);
    const body = JSON.stringify(webhookPayload(notices));
    const headers: Record<string, string> = {
      ...w.headers,
      'content-type': 'application/json',
      'idempotency-key': notices.map((n) => n.dedupKey).join('.'),
    };
    if (w.secret) headers[SIGNATURE_HEADER] = signBody(w.secret, body);
    const res = await fetchImpl(w.url, { method: 'POST', headers, body, signal });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`webhook ${w.url} answered ${res.status}`);
  };
}
