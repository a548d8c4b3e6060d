/** The chart's own colours, light and dark, as `--kpi-*`: threshold bands and up to four lines. */
import { css } from 'lit';

/**
 * Kept out of the shared palette so a page of lights does not carry them. The lines follow
 * the shared palette's link blue, then purple, orange and green, each ≥ 3:1 on the background.
 */
export const chartPalette = css`
  :host {
    --kpi-warning-band: rgb(255 190 46 / 0.18);
    --kpi-critical-band: rgb(216 57 51 / 0.14);
    --kpi-series-1: #005ea2;
    --kpi-series-2: #8168b3;
    --kpi-series-3: #c05600;
    --kpi-series-4: #008817;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --kpi-warning-band: rgb(255 190 46 / 0.16);
      --kpi-critical-band: rgb(248 137 127 / 0.16);
      --kpi-series-1: #73b3e7;
      --kpi-series-2: #b8a2e3;
      --kpi-series-3: #ffa15f;
      --kpi-series-4: #70e17b;
    }
  }
`;
