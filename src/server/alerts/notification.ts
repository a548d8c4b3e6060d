/** One notice to one receiver about one group of alerts: what every channel renders. */
import type { AlertInfo } from '../../sdk/types.js';
import type { Labels } from '../model/model.js';

/** An alert as a notice shows it: the API's view plus its value and threshold as text. */
export interface NoticeAlert extends AlertInfo {
  readonly valueText: string;
  readonly thresholdText?: string;
  /** Where the alert is shown in kpi-lights; Alertmanager's `generatorURL`. */
  readonly generatorUrl?: string;
}

/**
 * A notice, as the outbox keeps it and the channels (email, webhook, Alertmanager) render it.
 * A digest is several of these delivered as one message.
 */
export interface Notification {
  /**
   * Stable across retries and restarts: a channel passes it on (email `Message-ID`, webhook
   * `Idempotency-Key`), so a receiver can drop the one duplicate a crash can cause.
   */
  readonly dedupKey: string;
  readonly receiver: string;
  /** The group's labels as text, e.g. `{alertname="EfileErrors"}`. */
  readonly groupKey: string;
  readonly groupLabels: Labels;
  /** `firing` while any alert of the notice fires. */
  readonly status: 'firing' | 'resolved';
  readonly firing: readonly NoticeAlert[];
  readonly resolved: readonly NoticeAlert[];
  /** When the group was flushed, ms. */
  readonly createdAt: number;
  /** Where people look at the lights, from `route.external_url`. */
  readonly externalUrl: string | undefined;
  /** The newest policy version among the alerts. */
  readonly policyVersion: number;
  /** When a firing alert sent to Alertmanager should end unless told again, ms. */
  readonly endsAt: number;
}

/** Every alert of a notice or a digest, firing first. */
export function alertsOf(notices: readonly Notification[]): NoticeAlert[] {
  return [...notices.flatMap((n) => n.firing), ...notices.flatMap((n) => n.resolved)];
}
