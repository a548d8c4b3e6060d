/** The default palette every component shares: USWDS-like colours, light and dark, as `--kpi-*`. */
import { css } from 'lit';

/**
 * Each status has a fill (`--kpi-<status>-fill`) and an edge (`--kpi-<status>-edge`): the shape
 * is drawn in the fill with a 2 px outline in the edge, and the status word is written in the
 * edge colour. Contrast ratios (WCAG relative luminance), against the background:
 *
 * | light, on #ffffff | ratio | dark, on #1b1b1b | ratio |
 * | ------------------ | ----- | ----------------- | ----- |
 * | text #1b1b1b       | 17.2  | text #f0f0f0      | 15.1  |
 * | muted #565c65      | 6.7   | muted #c6cace     | 10.5  |
 * | link #005ea2       | 6.7   | link #73b3e7      | 7.7   |
 * | ok edge #008817    | 4.6   | ok #70e17b        | 10.5  |
 * | warning edge #936f38 | 4.6 | warning #ffbe2e   | 10.4  |
 * | critical edge #b50909 | 7.0 | critical #f8897f | 7.3   |
 * | unknown edge #71767a | 4.6 | unknown #a9aeb1   | 7.7   |
 *
 * So every word passes 4.5:1 and every shape's outline passes 3:1 in both modes. The light
 * fills #ffbe2e (1.7) and #a9aeb1 (2.2) are below 3:1 on white by themselves, which is why the
 * shape's edge, not its fill, carries the non-text contrast. The chart's own colours (bands and
 * lines) are in `chart-palette.styles.ts`, loaded with the chart.
 */
export const palette = css`
  :host {
    --kpi-background: #ffffff;
    --kpi-text: #1b1b1b;
    --kpi-text-muted: #565c65;
    --kpi-link: #005ea2;
    --kpi-border: #a9aeb1;
    --kpi-focus: #2491ff;
    --kpi-ok-fill: #00a91c;
    --kpi-ok-edge: #008817;
    --kpi-warning-fill: #ffbe2e;
    --kpi-warning-edge: #936f38;
    --kpi-critical-fill: #d83933;
    --kpi-critical-edge: #b50909;
    --kpi-unknown-fill: #a9aeb1;
    --kpi-unknown-edge: #71767a;
    --kpi-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --kpi-radius: 0.25rem;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --kpi-background: #1b1b1b;
      --kpi-text: #f0f0f0;
      --kpi-text-muted: #c6cace;
      --kpi-link: #73b3e7;
      --kpi-border: #71767a;
      --kpi-focus: #73b3e7;
      --kpi-ok-fill: #70e17b;
      --kpi-ok-edge: #70e17b;
      --kpi-warning-fill: #ffbe2e;
      --kpi-warning-edge: #ffbe2e;
      --kpi-critical-fill: #f8897f;
      --kpi-critical-edge: #f8897f;
      --kpi-unknown-fill: #a9aeb1;
      --kpi-unknown-edge: #a9aeb1;
    }
  }
`;

/**
 * What every component needs against a hostile page. A page rule on the host element (even
 * `* { font: 40px serif; color: transparent }`) beats `:host`, and inherited properties flow
 * from the host into the shadow root; so each component's outermost inner element, `.frame`,
 * sets every inherited property that could garble it. Pages theme through `--kpi-*`
 * properties, which `all: revert` does not touch.
 */
export const hostReset = css`
  :host {
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--kpi-font);
    font-size: 1rem;
    line-height: 1.4;
    color: var(--kpi-text);
    contain: content;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .frame {
    font-family: var(--kpi-font);
    font-size: var(--kpi-font-size, medium);
    font-style: normal;
    font-weight: 400;
    line-height: 1.4;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    white-space: normal;
    color: var(--kpi-text);
    visibility: visible;
    cursor: auto;
  }
  a {
    color: var(--kpi-link);
  }
  a:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--kpi-focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .changes {
      transition:
        background-color 0.3s ease,
        border-color 0.3s ease;
    }
  }
`;
