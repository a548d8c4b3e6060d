/** Registers `<kpi-light>`. */
import { KpiLight } from './kpi-light.component.js';

export type { KpiStatusChangeDetail } from './kpi-light.component.js';
export { KpiLight };

if (!customElements.get('kpi-light')) customElements.define('kpi-light', KpiLight);

declare global {
  interface HTMLElementTagNameMap {
    'kpi-light': KpiLight;
  }
}
