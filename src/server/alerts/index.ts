/** Alerts: rules over KPI readings and queries, states in SQLite, notifications through a durable outbox. */
export { type Alerting, type AlertListener, type SilenceBook, SilenceError } from './alerting.js';
