/** The one-script-tag entry: the light, board and alert list now, the chart when a page shows one; `dist/embed.js` is built from it. */
import './alert-list/alert-list.js';
import './kpi-board/kpi-board.js';
import './kpi-light/kpi-light.js';
import { loadWhenSeen } from './loading/load-when-seen.js';

// uPlot and the chart are most of the bytes, and a page of lights never draws one: they come
// in their own chunk, from the server this script came from, when a chart is on the page.
loadWhenSeen('latency-chart', () => import('./latency-chart/latency-chart.js'));

export { configure } from './connection/page-connection.js';
