/** Registers `<kpi-board>` and the `<kpi-light>` it is made of. */
import '../kpi-light/kpi-light.js';
import { KpiBoard } from './kpi-board.component.js';

export { KpiBoard };

if (!customElements.get('kpi-board')) customElements.define('kpi-board', KpiBoard);

declare global {
  interface HTMLElementTagNameMap {
    'kpi-board': KpiBoard;
  }
}
