/** The components for bundling apps: the element classes, their registration, and `configure`. */

export { AlertList } from './alert-list/alert-list.js';
export type { PageClient } from './connection/page-client.js';
export type { ClientFactory, ConnectionOptions } from './connection/page-connection.js';
export { configure } from './connection/page-connection.js';
export { KpiBoard } from './kpi-board/kpi-board.js';
export type { KpiStatusChangeDetail } from './kpi-light/kpi-light.js';
export { KpiLight } from './kpi-light/kpi-light.js';
export { LatencyChart } from './latency-chart/latency-chart.js';
