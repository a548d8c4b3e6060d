/** The bordered card a light and an alert row are drawn in: shape beside words, on its own background. */
import { css } from '../element/css.js';

/** `.card`: the elements set only their padding, so every card lines up the same way. */
export const card = css`
  .card {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    border: 2px solid var(--_kpi-border);
    border-radius: var(--_kpi-radius);
    background: var(--_kpi-background);
  }
  /* The words beside the shape; each element sets the gap between their lines. */
  .card .body {
    display: grid;
    min-width: 0;
  }
`;
