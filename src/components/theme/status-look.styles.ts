/** How a status looks wherever it is drawn: the shape's fill and edge and the word's colour per status, and text for screen readers only. */
import { css } from 'lit';

/**
 * The per-status look of a `.shape` (SVG) and a `.word` inside an element carrying the status
 * as a class (`ok`, `warning`, `critical`, `unknown`), and `.visually-hidden` text. An unknown
 * shape is hollow, so it never reads as a colour of its own.
 *
 * @example
 * ```ts
 * static override styles = [palette, hostReset, statusLook, css`…`];
 * ```
 */
export const statusLook = css`
  .ok .shape {
    fill: var(--kpi-ok-fill);
    stroke: var(--kpi-ok-edge);
  }
  .ok .word {
    color: var(--kpi-ok-edge);
  }
  .warning .shape {
    fill: var(--kpi-warning-fill);
    stroke: var(--kpi-warning-edge);
  }
  .warning .word {
    color: var(--kpi-warning-edge);
  }
  .critical .shape {
    fill: var(--kpi-critical-fill);
    stroke: var(--kpi-critical-edge);
  }
  .critical .word {
    color: var(--kpi-critical-edge);
  }
  .unknown .shape {
    fill: none;
    stroke: var(--kpi-unknown-edge);
  }
  .unknown .word {
    color: var(--kpi-unknown-edge);
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
