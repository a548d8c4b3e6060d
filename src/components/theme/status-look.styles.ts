/** How a status looks wherever it is drawn: the shape's fill and edge and the word's colour per status, and text for screen readers only. */
import { css } from '../element/css.js';

/**
 * The per-status look of a `.shape` (SVG) and a `.word` inside an element carrying the status
 * as a class (`ok`, `warning`, `critical`, `unknown`), and `.visually-hidden` text; each
 * element sets only its shapes' size. The class sets the look's colours as properties that its
 * descendants read, so a look nested in another (a light's budget inside the light) takes the
 * nearer one. An unknown shape is hollow unless the page sets `--kpi-unknown-fill`, so by
 * default it never reads as a colour of its own.
 *
 * @example
 * ```ts
 * static override styles = [palette, hostReset, statusLook, css`…`];
 * ```
 */
export const statusLook = css`
  .ok {
    --look-fill: var(--_kpi-ok-fill);
    --look-edge: var(--_kpi-ok-edge);
  }
  .warning {
    --look-fill: var(--_kpi-warning-fill);
    --look-edge: var(--_kpi-warning-edge);
  }
  .critical {
    --look-fill: var(--_kpi-critical-fill);
    --look-edge: var(--_kpi-critical-edge);
  }
  .unknown {
    --look-fill: var(--_kpi-unknown-fill);
    --look-edge: var(--_kpi-unknown-edge);
  }
  .shape {
    flex: none;
    fill: var(--look-fill);
    stroke: var(--look-edge);
    stroke-width: 2;
    overflow: visible;
  }
  /* The unknown shape's circle. */
  .dotted {
    stroke-dasharray: 3 2.3;
  }
  .word {
    color: var(--look-edge);
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
