/** The bordered card a light and an alert row are drawn in: shape beside words, on its own background. */
import { css } from 'lit';

/** `.card`: the elements set only their padding, so every card lines up the same way. */
export const card = css`
  .card {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    border: 2px solid var(--kpi-border);
    border-radius: var(--kpi-radius);
    background: var(--kpi-background);
  }
`;
