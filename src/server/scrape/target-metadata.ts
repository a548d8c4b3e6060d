/** What one target's exposition declared about its metric families, kept for Prometheus's metadata API. */
import type { Labels } from '../model/model.js';
import type { MetricFamily } from './exposition/exposition-types.js';

/** One target's families, with the target labels (`job`, `instance`, the user's) that name it. */
export interface TargetMetadata {
  readonly labels: Labels;
  readonly families: readonly MetricFamily[];
}
