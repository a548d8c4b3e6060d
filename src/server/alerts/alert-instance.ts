/** One alert of one rule (a rule with groups or series has several): its labels, state and times. */

import { createHash } from 'node:crypto';
import type { AlertInfo } from '../../sdk/types.js';
import { sortedLabelPairs } from '../model/label-text.js';
import type { Labels } from '../model/model.js';

/** Texts a notice shows, already expanded from the rule's templates. */
export interface AlertTexts {
  /** The value formatted for its unit (`5.2 %`, `14.4×`, `no data`). */
  readonly value?: string;
  /** The threshold formatted for its unit, for KPI alerts. */
  readonly threshold?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly runbook?: string;
}

/** An alert as the core keeps it; persisted row for row in `alert_instances`. */
export interface AlertInstance {
  /** Hash of `labels`: the alert's identity across rounds and restarts. */
  readonly id: string;
  readonly rule: string;
  readonly labels: Labels;
  readonly state: 'pending' | 'firing' | 'resolved';
  /** When the condition started to hold, ms. */
  readonly activeAt: number;
  readonly firedAt: number | undefined;
  readonly resolvedAt: number | undefined;
  /**
   * First round the condition stopped holding while firing, ms; `keep_firing_for` counts from
   * here, as in Prometheus. Cleared when it holds again.
   */
  readonly keepFiringSince: number | undefined;
  readonly value: number | null;
  readonly texts: AlertTexts;
  readonly kpi: string | undefined;
  /** The KPI group (`groupKey`), so inhibition compares like with like. */
  readonly group: string;
  readonly threshold: number | undefined;
  readonly budgetRemaining: number | undefined;
  readonly policyVersion: number;
}

/**
 * The id of a label set: sha256 of the labels sorted by name, first 16 hex digits. Order of
 * insertion never matters, so the id is stable across rounds, restarts and policy edits.
 *
 * @example
 * ```ts
 * alertId({ alertname: 'EfileErrors', agency: 'IRS' }) === alertId({ agency: 'IRS', alertname: 'EfileErrors' }); // true
 * ```
 */
export function alertId(labels: Labels): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedLabelPairs(labels)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The API's view of an alert.
 *
 * @example
 * ```ts
 * hub.publish('alert', alertInfo(instance, { silencedBy: [], inhibited: false }));
 * ```
 */
export function alertInfo(
  a: AlertInstance,
  muted: { readonly silencedBy: readonly string[]; readonly inhibited: boolean },
): AlertInfo {
  const iso = (ms: number | undefined) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const info: AlertInfo = {
    id: a.id,
    name: a.rule,
    state: a.state,
    severity: a.labels.severity ?? '',
    kpi: a.kpi,
    labels: a.labels,
    summary: a.texts.summary,
    description: a.texts.description,
    runbook: a.texts.runbook,
    value: a.value,
    threshold: a.threshold,
    budgetRemaining: a.budgetRemaining,
    activeAt: new Date(a.activeAt).toISOString(),
    firedAt: iso(a.firedAt),
    resolvedAt: iso(a.resolvedAt),
    silencedBy: muted.silencedBy.length > 0 ? muted.silencedBy : undefined,
    inhibited: muted.inhibited || undefined,
    policyVersion: a.policyVersion,
  };
  // Absent, not undefined: the JSON and equality checks see the same thing.
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as AlertInfo;
}
