/** How a status looks wherever it is drawn: the shape's fill and edge and the word's colour per status, and text for screen readers only. */
import { css } from 'lit';

/**
 * The per-status look of a `.shape` (SVG) and a `.word` inside an element carrying the status
 * as a class (`ok`, `warning`, `critical`, `unknown`), and `.visually-hidden` text. The class
 * sets the look's colours as properties that its descendants read, so a look nested in another
 * (a light's budget inside the light) takes the nearer one. An unknown shape is hollow, so it
 * never reads as a colour of its own.
 *
 * @example
 * ```ts
 * static override styles = [palette, hostReset, statusLook, css`…`];
 * ```
 */
export const statusLook = css`
  .ok {
    --look-fill: var(--kpi-ok-fill);
    --look-edge: var(--kpi-ok-edge);
  }
  .warning {
    --look-fill: var(--kpi-warning-fill);
    --look-edge: var(--kpi-warning-edge);
  }
  .critical {
    --look-fill: var(--kpi-critical-fill);
    --look-edge: var(--kpi-critical-edge);
  }
  .unknown {
    --look-fill: none;
    --look-edge: var(--kpi-unknown-edge);
  }
  .shape {
    fill: var(--look-fill);
    stroke: var(--look-edge);
  }
  .word {
    color: var(--look-edge);
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
