/** Registers `<latency-chart>`. */
import { LatencyChart } from './latency-chart.component.js';

export { LatencyChart };

if (!customElements.get('latency-chart')) customElements.define('latency-chart', LatencyChart);

declare global {
  interface HTMLElementTagNameMap {
    'latency-chart': LatencyChart;
  }
}
