/** KPI history: a table over the server's database. */
export {
  type HistoryColumns,
  type HistoryRange,
  type KpiHistoryOptions,
  KpiHistoryStore,
  MAX_BUCKETS,
  type StoredReading,
} from './kpi-history-store.js';
export { sourceHistory } from './source-history.js';
