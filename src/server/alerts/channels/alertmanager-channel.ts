/** Forwarding to an Alertmanager: `POST /api/v2/alerts`, for agencies that already route pages there. */
import type { Receiver } from '../../policy/types.js';
import { alertsOf } from '../notification.js';
import type { ChannelSend } from '../outbox.js';
import { annotationsOf } from './webhook-payload.js';

/** One alert as Alertmanager's v2 API takes it (`postableAlert`). */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL?: string;
}

/**
 * The Alertmanager channel: one post of alerts to `/api/v2/alerts`. Alertmanager keeps its own
 * state keyed by labels, so a repeat or a duplicate is harmless. A firing alert is sent with
 * the notice's `endsAt` (the forwarder's `now + 4 × max(resend delay, evaluation interval)`): if
 * kpi-lights stops, Alertmanager resolves it by itself rather than page forever. A resolved one
 * is sent with its resolve time. `generatorURL` is each alert's place in kpi-lights.
 *
 * @example
 * ```ts
 * const send = alertmanagerChannel();
 * await send(receiver, [notice], AbortSignal.timeout(30_000));
 * ```
 */
export function alertmanagerChannel(fetchImpl: typeof fetch = fetch): ChannelSend {
  return async function forwardToAlertmanager(receiver: Receiver, notices, signal) {
    const am = receiver.alertmanager;
    if (!am) throw new Error(`receiver ${receiver.name} has no alertmanager`);
    const endsAt = new Date(Math.max(...notices.map((n) => n.endsAt))).toISOString();
    const fallbackUrl = notices[0].externalUrl;
    const body: PostableAlert[] = alertsOf(notices).map((a) => {
      const generatorURL = a.generatorUrl ?? fallbackUrl;
      return {
        labels: a.labels,
        annotations: annotationsOf(a),
        startsAt: a.firedAt ?? a.activeAt,
        endsAt: a.state === 'resolved' || a.resolvedAt ? (a.resolvedAt ?? endsAt) : endsAt,
        ...(generatorURL ? { generatorURL } : {}),
      };
    });
    const url = new URL('api/v2/alerts', am.url.endsWith('/') ? am.url : `${am.url}/`);
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`alertmanager ${url.href} answered ${res.status}`);
  };
}
