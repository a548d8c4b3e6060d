/** Webhooks: Alertmanager's payload POSTed as JSON, signed (with a timestamp) when the receiver has a secret. */
import type { Receiver } from '../../policy/types.js';
import { DeliveryError } from '../delivery-error.js';
import type { ChannelSend } from '../outbox.js';
import { webhookPayload } from './webhook-payload.js';
import { SIGNATURE_HEADER, signBody } from './webhook-signature.js';

export { SIGNATURE_HEADER, signBody, verifySignature } from './webhook-signature.js';

/** Where a webhook goes, as logs and the outbox may say it: its origin. Its path is often the secret. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<invalid URL>';
  }
}

/**
 * The webhook channel: a 2xx answer is delivered; a refusal (a 4xx other than 408, 425, 429) is
 * a permanent {@link DeliveryError}, anything else is retried by the outbox. The dedup key goes
 * in `Idempotency-Key`, the signature (with its time) in `X-Kpi-Lights-Signature-256`. Errors
 * name only the webhook's origin, never its path or query.
 *
 * @param fetchImpl Default the global `fetch`; the server passes one that never follows a
 *   redirect to another origin.
 * @param now The signature's clock. Default `Date.now`.
 * @example
 * ```ts
 * const send = webhookChannel(createSameOriginFetch());
 * await send(receiver, [notice], AbortSignal.timeout(30_000));
 * ```
 */
export function webhookChannel(
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): ChannelSend {
  return async function sendWebhook(receiver: Receiver, notices, signal) {
    const w = receiver.webhook;
    if (!w) throw new Error(`receiver ${receiver.name} has no webhook`);
    const body = JSON.stringify(webhookPayload(notices));
    const headers: Record<string, string> = {
      ...w.headers,
      'content-type': 'application/json',
      'idempotency-key': notices.map((n) => n.dedupKey).join('.'),
    };
    if (w.secret) headers[SIGNATURE_HEADER] = signBody(w.secret, body, now());
    const where = `webhook ${originOf(w.url)}`;
    let res: Response;
    try {
      res = await fetchImpl(w.url, { method: 'POST', headers, body, signal });
    } catch (err) {
      // fetch's own words ("fetch failed") and its cause (ECONNREFUSED …) carry no URL path.
      const cause =
        err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new DeliveryError(`${where} unreachable: ${(err as Error).message}${cause}`, {
        cause: err,
      });
    }
    await res.body?.cancel();
    if (!res.ok) throw new DeliveryError(`${where} answered ${res.status}`, { status: res.status });
  };
}
