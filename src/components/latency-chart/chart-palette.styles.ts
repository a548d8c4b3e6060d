/** The chart's own colours, light and dark: threshold bands and up to four lines, each a `--kpi-*` a page may set. */
import { css } from '../element/css.js';

/**
 * Kept out of the shared palette so a page of lights does not carry them. The lines follow
 * the shared palette's link blue, then purple, orange and green, each ≥ 3:1 on the background.
 * Resolved into private `--_kpi-*` as the shared palette's are, so an ancestor's values win.
 */
export const chartPalette = css`
  :host {
    --_kpi-warning-band: var(--kpi-warning-band, rgb(255 190 46 / 0.18));
    --_kpi-critical-band: var(--kpi-critical-band, rgb(216 57 51 / 0.14));
    --_kpi-series-1: var(--kpi-series-1, #005ea2);
    --_kpi-series-2: var(--kpi-series-2, #8168b3);
    --_kpi-series-3: var(--kpi-series-3, #c05600);
    --_kpi-series-4: var(--kpi-series-4, #008817);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_kpi-warning-band: var(--kpi-warning-band, rgb(255 190 46 / 0.16));
      --_kpi-critical-band: var(--kpi-critical-band, rgb(248 137 127 / 0.16));
      --_kpi-series-1: var(--kpi-series-1, #73b3e7);
      --_kpi-series-2: var(--kpi-series-2, #b8a2e3);
      --_kpi-series-3: var(--kpi-series-3, #ffa15f);
      --_kpi-series-4: var(--kpi-series-4, #70e17b);
    }
  }
`;
