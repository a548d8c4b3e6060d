/** Styles of `<alert-list>`: one bordered row per alert; pending ones dashed, muted ones faded. */
import { css } from 'lit';
import { hostReset, palette } from '../theme/palette.styles.js';

export const alertListStyles = [
  palette,
  hostReset,
  css`
    /* Its own background, so muted text keeps its contrast on any host page. */
    .frame {
      background: var(--kpi-background);
    }
    .empty,
    .lost {
      padding: 0.25rem 0.5rem;
      border-radius: var(--kpi-radius);
    }
    .list {
      display: grid;
      gap: 0.5rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .alert {
      display: flex;
      gap: 0.75rem;
      align-items: flex-start;
      padding: 0.6rem 0.9rem;
      border: 2px solid var(--kpi-border);
      border-radius: var(--kpi-radius);
      background: var(--kpi-background);
    }
    .shape {
      flex: none;
      width: 1.5rem;
      height: 1.5rem;
      stroke-width: 2;
      overflow: visible;
    }
    .dotted {
      stroke-dasharray: 3 2.3;
    }
    .body {
      display: grid;
      gap: 0.1rem;
      min-width: 0;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.5rem;
      align-items: baseline;
    }
    .word {
      font-weight: 700;
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }
    .name {
      font-weight: 700;
    }
    p {
      margin: 0;
    }
    .state,
    .muted-why,
    .empty,
    .lost {
      color: var(--kpi-text-muted);
    }
    .muted-why {
      font-style: italic;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    .critical .shape {
      fill: var(--kpi-critical-fill);
      stroke: var(--kpi-critical-edge);
    }
    .critical.firing {
      border-color: var(--kpi-critical-edge);
    }
    .critical .word {
      color: var(--kpi-critical-edge);
    }
    .warning .shape {
      fill: var(--kpi-warning-fill);
      stroke: var(--kpi-warning-edge);
    }
    .warning .word {
      color: var(--kpi-warning-edge);
    }
    .unknown .shape {
      fill: none;
      stroke: var(--kpi-unknown-edge);
    }
    .unknown .word {
      color: var(--kpi-unknown-edge);
    }
    /* Pending: not yet firing, so a dashed frame and a hollow shape, the word "Pending" too. */
    .pending {
      border-style: dashed;
    }
    .pending .shape {
      fill: none;
    }
    /* Muted alerts stay listed but recede; the words say why. */
    .muted .shape {
      opacity: 0.55;
    }
  `,
];
