/** The one-script-tag entry: registers every element; `dist/embed.js` is built from it. */
import './alert-list/alert-list.js';
import './kpi-board/kpi-board.js';
import './kpi-light/kpi-light.js';
import './latency-chart/latency-chart.js';

export { configure } from './connection/page-connection.js';
