/** Styles of `<latency-chart>`: the plot, its summary, and the data table behind a button. */
import { css } from '../element/css.js';
import { hostReset, palette } from '../theme/palette.styles.js';
import { chartPalette } from './chart-palette.styles.js';
import { uplotLayout } from './uplot-layout.styles.js';

export const latencyChartStyles = [
  palette,
  chartPalette,
  hostReset,
  uplotLayout,
  css`
    .chart {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem 1rem;
      border: 2px solid var(--_kpi-border);
      border-radius: var(--_kpi-radius);
      background: var(--_kpi-background);
    }
    .title {
      font-weight: 700;
    }
    .plot {
      min-height: var(--kpi-chart-height, 200px);
      width: 100%;
      /* A grid item is at least as wide as its content, here the plot at its last width; without
         this a chart would never narrow with its page. */
      min-width: 0;
    }
    p {
      margin: 0;
    }
    .summary {
      font-size: 0.875rem;
    }
    button {
      justify-self: start;
      font: inherit;
      font-size: 0.875rem;
      padding: 0.25rem 0.75rem;
      border: 2px solid var(--_kpi-link);
      border-radius: var(--_kpi-radius);
      background: var(--_kpi-background);
      color: var(--_kpi-link);
      cursor: pointer;
    }
    .table {
      max-height: 16rem;
      overflow: auto;
    }
    table {
      border-collapse: collapse;
      font-size: 0.875rem;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: start;
      font-weight: 700;
    }
    th,
    td {
      padding: 0.15rem 0.6rem;
      border-bottom: 1px solid var(--_kpi-border);
      text-align: start;
    }
    .why {
      font-style: italic;
    }
  `,
];
