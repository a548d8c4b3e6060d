/** Notices as Alertmanager's webhook payload (version 4), so existing webhook consumers read them. */
import type { NoticeAlert, Notification } from '../notification.js';

/** One alert in the payload. */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  /** Alertmanager's zero time while firing. */
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** Alertmanager's webhook body, version 4. */
export interface WebhookPayload {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Annotations as Prometheus names them (`runbook_url`), plus what kpi-lights knows. */
export function annotationsOf(a: NoticeAlert): Record<string, string> {
  const out: Record<string, string> = {};
  if (a.summary) out.summary = a.summary;
  if (a.description) out.description = a.description;
  if (a.runbook) out.runbook_url = a.runbook;
  out.value = a.valueText;
  if (a.thresholdText) out.threshold = a.thresholdText;
  if (a.budgetRemaining !== undefined) out.budget_remaining = String(a.budgetRemaining);
  out.policy_version = String(a.policyVersion);
  return out;
}

function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (maps.length === 0) return {};
  return Object.fromEntries(
    Object.entries(maps[0]).filter(([k, v]) => maps.every((m) => m[k] === v)),
  );
}

/**
 * The payload for one notice, or for a digest (several notices' alerts in one body, the group
 * keys joined).
 *
 * @example
 * ```ts
 * const body = JSON.stringify(webhookPayload([notice]));
 * ```
 */
export function webhookPayload(notices: readonly Notification[]): WebhookPayload {
  const first = notices[0];
  const externalURL = first.externalUrl ?? '';
  const alerts: WebhookAlert[] = notices
    .flatMap((n) => [
      ...n.firing.map((a) => ({ a, status: 'firing' as const })),
      ...n.resolved.map((a) => ({ a, status: 'resolved' as const })),
    ])
    .map(({ a, status }) => ({
      status,
      labels: a.labels,
      annotations: annotationsOf(a),
      startsAt: a.firedAt ?? a.activeAt,
      endsAt: status === 'resolved' ? (a.resolvedAt ?? ZERO_TIME) : ZERO_TIME,
      generatorURL: externalURL,
      fingerprint: a.id,
    }));
  return {
    version: '4',
    groupKey: notices.map((n) => `${n.receiver}:${n.groupKey}`).join(';'),
    truncatedAlerts: 0,
    status: notices.some((n) => n.status === 'firing') ? 'firing' : 'resolved',
    receiver: first.receiver,
    groupLabels:
      notices.length === 1 ? first.groupLabels : common(notices.map((n) => n.groupLabels)),
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL,
    alerts,
  };
}
