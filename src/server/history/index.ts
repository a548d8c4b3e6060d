/** KPI history and the shared database file. */
export { DATABASE_FILE, type KpiDatabase, migrate, openDatabase } from './database.js';
export { groupKey } from './group-key.js';
export {
  type HistoryColumns,
  type HistoryRange,
  type KpiHistoryOptions,
  KpiHistoryStore,
  MAX_BUCKETS,
  type StoredReading,
} from './kpi-history-store.js';
