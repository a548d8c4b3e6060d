/** The default palette every component shares: USWDS-like colours, light and dark, as `--kpi-*`. */
import { css } from '../element/css.js';

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
 * warning fill #ffbe2e (1.7) is below 3:1 on white by itself, which is why the shape's edge,
 * not its fill, carries the non-text contrast. An unknown shape is hollow unless a
 * page sets `--kpi-unknown-fill`. The chart's own colours (bands and lines) are in
 * `chart-palette.styles.ts`, loaded with the chart.
 *
 * A page's `--kpi-*` set on the element or on any ancestor wins: the host never declares a
 * `--kpi-*` property itself (a declaration on the element would beat the inherited value), it
 * resolves each into a private `--_kpi-*` with the default as the fallback, and the rules read
 * only the private ones.
 */
export const palette = css`
  :host {
    --_kpi-background: var(--kpi-background, #ffffff);
    --_kpi-text: var(--kpi-text, #1b1b1b);
    --_kpi-text-muted: var(--kpi-text-muted, #565c65);
    --_kpi-link: var(--kpi-link, #005ea2);
    --_kpi-border: var(--kpi-border, #a9aeb1);
    --_kpi-focus: var(--kpi-focus, #2491ff);
    --_kpi-ok-fill: var(--kpi-ok-fill, #00a91c);
    --_kpi-ok-edge: var(--kpi-ok-edge, #008817);
    --_kpi-warning-fill: var(--kpi-warning-fill, #ffbe2e);
    --_kpi-warning-edge: var(--kpi-warning-edge, #936f38);
    --_kpi-critical-fill: var(--kpi-critical-fill, #d83933);
    --_kpi-critical-edge: var(--kpi-critical-edge, #b50909);
    --_kpi-unknown-fill: var(--kpi-unknown-fill, none);
    --_kpi-unknown-edge: var(--kpi-unknown-edge, #71767a);
    --_kpi-font: var(--kpi-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_kpi-radius: var(--kpi-radius, 0.25rem);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_kpi-background: var(--kpi-background, #1b1b1b);
      --_kpi-text: var(--kpi-text, #f0f0f0);
      --_kpi-text-muted: var(--kpi-text-muted, #c6cace);
      --_kpi-link: var(--kpi-link, #73b3e7);
      --_kpi-border: var(--kpi-border, #71767a);
      --_kpi-focus: var(--kpi-focus, #73b3e7);
      --_kpi-ok-fill: var(--kpi-ok-fill, #70e17b);
      --_kpi-ok-edge: var(--kpi-ok-edge, #70e17b);
      --_kpi-warning-edge: var(--kpi-warning-edge, #ffbe2e);
      --_kpi-critical-fill: var(--kpi-critical-fill, #f8897f);
      --_kpi-critical-edge: var(--kpi-critical-edge, #f8897f);
      --_kpi-unknown-edge: var(--kpi-unknown-edge, #a9aeb1);
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
    font-family: var(--_kpi-font);
    font-size: 1rem;
    line-height: 1.4;
    color: var(--_kpi-text);
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
    font-family: var(--_kpi-font);
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
    color: var(--_kpi-text);
    visibility: visible;
    cursor: auto;
  }
  a {
    color: var(--_kpi-link);
  }
  a:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--_kpi-focus);
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
