/** Styles of `<kpi-light>`: a card, or one line in `compact` mode; stale and unknown look apart. */
import { css } from '../element/css.js';
import { card } from '../theme/card.styles.js';
import { hostReset, palette } from '../theme/palette.styles.js';
import { statusLook } from '../theme/status-look.styles.js';

export const kpiLightStyles = [
  palette,
  hostReset,
  statusLook,
  card,
  css`
    :host([compact]) {
      display: inline-block;
    }
    .light {
      position: relative;
      padding: 0.75rem 1rem;
    }
    .compact {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
      padding: 0.1rem 0.4rem;
      border-width: 1px;
      white-space: nowrap;
    }
    .shape {
      width: 1.75rem;
      height: 1.75rem;
    }
    .compact .shape {
      width: 1em;
      height: 1em;
    }
    .body {
      gap: 0.15rem;
    }
    .title {
      font-weight: 700;
    }
    .reading {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.5rem;
      align-items: baseline;
    }
    .value {
      font-size: 1.5rem;
      font-variant-numeric: tabular-nums;
    }
    .compact .value {
      font-size: inherit;
    }
    p {
      margin: 0;
    }
    .thresholds,
    .updated {
      color: var(--_kpi-text-muted);
      font-size: 0.875rem;
    }
    .why {
      font-size: 0.875rem;
      font-style: italic;
    }
    .budget {
      display: flex;
      gap: 0.35rem;
      align-items: center;
      font-size: 0.875rem;
    }
    .budget .shape {
      width: 1em;
      height: 1em;
    }

    .critical {
      border-color: var(--_kpi-critical-edge);
    }

    /* Stale or unknown: a dashed frame and a hatched stripe, so it never passes for fresh. */
    .stale,
    .unknown {
      border-style: dashed;
    }
    .stale::before,
    .unknown::before {
      content: '';
      position: absolute;
      inset: 0 auto 0 0;
      width: 0.4rem;
      background: repeating-linear-gradient(
        45deg,
        var(--_kpi-unknown-edge) 0 2px,
        transparent 2px 5px
      );
    }
    .stale .shape {
      opacity: 0.55;
    }
    .stale .value {
      color: var(--_kpi-text-muted);
    }
  `,
];
