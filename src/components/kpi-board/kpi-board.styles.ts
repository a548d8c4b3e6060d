/** Styles of `<kpi-board>`: a grid that reflows from one column on a phone to many on a wall. */
import { css } from '../element/css.js';
import { hostReset, palette } from '../theme/palette.styles.js';

export const kpiBoardStyles = [
  palette,
  hostReset,
  css`
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--kpi-board-min-column, 16rem)), 1fr));
      gap: var(--kpi-board-gap, 0.75rem);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: block;
    }
    .empty {
      margin: 0;
      color: var(--_kpi-text-muted);
    }
  `,
];
