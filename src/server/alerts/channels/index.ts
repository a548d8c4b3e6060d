/** The channels a receiver is reached by: e-mail, webhook, Alertmanager. */
import { createSameOriginFetch } from '../../http/same-origin-fetch.js';
import type { Channel, ChannelSend } from '../outbox.js';
import { alertmanagerChannel } from './alertmanager-channel.js';
import { type EmailChannelOptions, emailChannel } from './email-channel.js';
import { webhookChannel } from './webhook-channel.js';

export { alertmanagerChannel, type PostableAlert } from './alertmanager-channel.js';
export { type EmailChannelOptions, emailChannel } from './email-channel.js';
export { type EmailMessage, emailMessage, escapeHtml } from './email-message.js';
export { webhookChannel } from './webhook-channel.js';
export { type WebhookPayload, webhookPayload } from './webhook-payload.js';
export {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_MS,
  signBody,
  verifySignature,
} from './webhook-signature.js';

/**
 * The real channels. Webhooks and Alertmanager follow a redirect only within the origin asked:
 * their headers, signature and body never reach another host.
 *
 * @example
 * ```ts
 * createAlerting({ …, send: realChannels() });
 * ```
 */
export function realChannels(email: EmailChannelOptions = {}): Record<Channel, ChannelSend> {
  return {
    email: emailChannel(email),
    webhook: webhookChannel(createSameOriginFetch()),
    alertmanager: alertmanagerChannel(createSameOriginFetch()),
  };
}
