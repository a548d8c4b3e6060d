/** The channels a receiver is reached by: e-mail, webhook, Alertmanager. */
import type { Channel, ChannelSend } from '../outbox.js';
import { alertmanagerChannel } from './alertmanager-channel.js';
import { type EmailChannelOptions, emailChannel } from './email-channel.js';
import { webhookChannel } from './webhook-channel.js';

export { alertmanagerChannel, type PostableAlert } from './alertmanager-channel.js';
export { type EmailChannelOptions, emailChannel } from './email-channel.js';
export { type EmailMessage, emailMessage, escapeHtml } from './email-message.js';
export { SIGNATURE_HEADER, signBody, webhookChannel } from './webhook-channel.js';
export { type WebhookPayload, webhookPayload } from './webhook-payload.js';

/**
 * The real channels.
 *
 * @example
 * ```ts
 * createAlerting({ …, send: realChannels() });
 * ```
 */
export function realChannels(email: EmailChannelOptions = {}): Record<Channel, ChannelSend> {
  return {
    email: emailChannel(email),
    webhook: webhookChannel(),
    alertmanager: alertmanagerChannel(),
  };
}
