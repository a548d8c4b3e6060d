/** The few layout rules uPlot's DOM needs, as a Lit `css` string so they reach the shadow root. */
import { css } from '../element/css.js';

/**
 * uPlot stacks its canvas and overlay with absolute positions. A stylesheet `<link>` would not
 * reach inside the shadow root and a strict `style-src` may forbid it, so the rules live here.
 * The legend and cursor are off, so only the frame's rules are needed.
 */
export const uplotLayout = css`
  .uplot,
  .uplot * {
    box-sizing: border-box;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis,
  .u-select {
    position: absolute;
  }
  .u-off {
    display: none;
  }
`;
