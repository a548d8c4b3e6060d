/** The policy's route and receivers as an Alertmanager `route:` and `receivers:` snippet. */

import { formatDuration } from '../../../shared/duration.js';
import type { NotificationTiming, Policy, Receiver } from '../../policy/types.js';

/** The parts of an Alertmanager configuration this writes. */
export interface AlertmanagerSnippet {
  readonly route: Readonly<Record<string, unknown>>;
  readonly receivers: readonly Readonly<Record<string, unknown>>[];
}

/** The snippet and what it leaves for the operator to fill in or cannot express. */
export interface ExportedAlertmanager {
  readonly config: AlertmanagerSnippet;
  readonly notes: readonly string[];
}

/** Alerts no receiver takes go here: Alertmanager's root route needs a receiver. */
const NOBODY = 'kpi-lights-none';

const escapeRegex = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

function timing(t: NotificationTiming): Record<string, unknown> {
  return {
    group_by: [...t.groupBy],
    group_wait: formatDuration(t.groupWaitMs),
    group_interval: formatDuration(t.groupIntervalMs),
    repeat_interval: formatDuration(t.repeatIntervalMs),
  };
}

function receiverConfig(r: Receiver, notes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { name: r.name };
  if (r.email) {
    const smtp = new URL(r.email.smtp);
    const port = smtp.port || (smtp.protocol === 'smtps:' ? '465' : '25');
    out.email_configs = [
      {
        to: r.email.to.join(', '),
        from: r.email.from,
        smarthost: `${smtp.hostname}:${port}`,
        require_tls: r.email.starttls === 'required',
        send_resolved: true,
        ...(r.email.username !== undefined && { auth_username: r.email.username }),
      },
    ];
    if (r.email.password !== undefined) {
      notes.push(`receiver ${r.name}: set auth_password (or auth_password_file) yourself.`);
    }
  }
  if (r.webhook) {
    out.webhook_configs = [{ url: r.webhook.url, send_resolved: true }];
    if (r.webhook.secret !== undefined) {
      notes.push(
        `receiver ${r.name}: Alertmanager does not sign webhooks; the HMAC secret is dropped.`,
      );
    }
  }
  if (r.alertmanager) {
    notes.push(
      `receiver ${r.name}: its Alertmanager forward is this Alertmanager itself; left out.`,
    );
  }
  if (r.rateLimit) {
    notes.push(
      `receiver ${r.name}: Alertmanager has no per-receiver rate limit; group_interval bounds it.`,
    );
  }
  return out;
}

/**
 * The snippet: a root route with the policy's timing to a receiver that sends nothing, and one
 * child route per receiver matching the alert names that notify it (`continue: true`, so an
 * alert reaches every receiver it names), with that receiver's own timing.
 *
 * @example
 * ```ts
 * const { config, notes } = alertmanagerConfig(policy);
 * ```
 */
export function alertmanagerConfig(policy: Policy): ExportedAlertmanager {
  const notes: string[] = [];
  const routes = policy.receivers.flatMap((r) => {
    const names = policy.alerts.filter((a) => a.notify.includes(r.name)).map((a) => a.name);
    if (names.length === 0) return [];
    return [
      {
        receiver: r.name,
        matchers: [`alertname=~"${names.map(escapeRegex).join('|')}"`],
        continue: true,
        ...timing(r.timing),
      },
    ];
  });
  return {
    config: {
      route: { receiver: NOBODY, ...timing(policy.route), routes },
      receivers: [{ name: NOBODY }, ...policy.receivers.map((r) => receiverConfig(r, notes))],
    },
    notes,
  };
}
