/** KPI history: a table over the server's database. */

export { type BucketGrid, bucketGrid, MAX_BUCKETS } from './bucket-grid.js';
export {
  type HistoryColumns,
  type HistoryRange,
  type KpiHistoryOptions,
  KpiHistoryStore,
  type StoredReading,
} from './kpi-history-store.js';
export { sourceHistory } from './source-history.js';
