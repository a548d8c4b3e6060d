/** Alerts: rules over KPI readings and queries, states in SQLite, notifications through a durable outbox. */

export { type AlertInstance, alertId } from './alert-instance.js';
export { type Alerting, type AlertListener, type SilenceBook, SilenceError } from './alerting.js';
export {
  BURN_WINDOWS,
  type BurnWindow,
  burnRateQuery,
  burnWindows,
  errorRatioQuery,
} from './burn-rate.js';
export {
  type EmailChannelOptions,
  realChannels,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_MS,
  signBody,
  verifySignature,
  type WebhookPayload,
  webhookPayload,
} from './channels/index.js';
export { type AlertCore, type AlertingOptions, createAlerting } from './create-alerting.js';
export { DeliveryError, isPermanentFailure } from './delivery-error.js';
export type { NoticeAlert, Notification } from './notification.js';
export {
  CHANNELS,
  type Channel,
  type ChannelSend,
  type GiveUpReason,
  Outbox,
  type OutboxStats,
} from './outbox.js';
export { ruleQuery } from './rule-conditions.js';
