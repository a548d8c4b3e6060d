/** Styles of `<alert-list>`: one bordered row per alert; pending ones dashed, muted ones faded. */
import { css } from '../element/css.js';
import { card } from '../theme/card.styles.js';
import { hostReset, palette } from '../theme/palette.styles.js';
import { statusLook } from '../theme/status-look.styles.js';

export const alertListStyles = [
  palette,
  hostReset,
  statusLook,
  card,
  css`
    /* Its own background, so muted text keeps its contrast on any host page. */
    .frame {
      background: var(--_kpi-background);
    }
    .empty,
    .lost {
      padding: 0.25rem 0.5rem;
      border-radius: var(--_kpi-radius);
    }
    .list {
      display: grid;
      gap: 0.5rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .alert {
      padding: 0.6rem 0.9rem;
    }
    .shape {
      width: 1.5rem;
      height: 1.5rem;
    }
    .body {
      gap: 0.1rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.5rem;
      align-items: baseline;
    }
    .name {
      font-weight: 700;
    }
    p {
      margin: 0;
    }
    .state,
    .muted-why,
    .empty,
    .lost {
      color: var(--_kpi-text-muted);
    }
    .muted-why {
      font-style: italic;
    }

    .critical.firing {
      border-color: var(--_kpi-critical-edge);
    }
    /* Pending: not yet firing, so a dashed frame and a hollow shape, the word "Pending" too. */
    .pending {
      border-style: dashed;
    }
    .pending .shape {
      fill: none;
    }
    /* Muted alerts stay listed but recede; the words say why. */
    .muted .shape {
      opacity: 0.55;
    }
  `,
];
