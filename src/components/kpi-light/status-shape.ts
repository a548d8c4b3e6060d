/** The shape of a status as SVG: circle, triangle, square or dotted circle. */
import { html, type SVGTemplateResult, svg, type TemplateResult } from 'lit/html.js';
import type { KpiStatus } from '../../sdk/types.js';

/**
 * The light's shape; hidden from assistive technology because the status word beside it
 * says the same. `part` names it for `::part()` (a light's budget has a shape of its own).
 *
 * @example
 * ```ts
 * html`${statusShape('critical')} Critical`;
 * ```
 */
export function statusShape(status: KpiStatus, part = 'shape'): TemplateResult {
  let body: SVGTemplateResult;
  switch (status) {
    case 'ok':
      body = svg`<circle cx="12" cy="12" r="10"></circle>`;
      break;
    case 'warning':
      body = svg`<polygon points="12,1.5 23,21.5 1,21.5"></polygon>`;
      break;
    case 'critical':
      body = svg`<rect x="2" y="2" width="20" height="20"></rect>`;
      break;
    case 'unknown':
      body = svg`<circle class="dotted" cx="12" cy="12" r="10"></circle>`;
      break;
  }
  return html`<svg part=${part} class="shape" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;
}
