/** `<kpi-board>`: a responsive grid of KPI lights, all of a server's or a chosen few. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { FeedSubscription } from '../connection/feed-subscription.js';
import { EVERY_KPI } from '../connection/kpi-feed.js';
import { KpiElement, type PropertyDeclarations } from '../element/kpi-element.js';
import { kpiBoardStyles } from './kpi-board.styles.js';
import { orderByBudget } from './order-by-budget.js';
import { selectKpis } from './select-kpis.js';

/**
 * Every KPI of a server as a grid of `<kpi-light>`s, or those listed in `kpis` or matching
 * `filter`. New KPIs appear as the server adds them. Status changes of its lights bubble out
 * as `kpi-status-change` events.
 *
 * @summary A responsive grid of KPI lights for a manager's page.
 *
 * @example
 * ```html
 * <kpi-board filter="efile-*"></kpi-board>
 * <kpi-board kpis="efile-error-rate,efile-latency"></kpi-board>
 * <kpi-board sort="budget"></kpi-board>
 * ```
 *
 * @csspart grid - The list that lays the lights out.
 * @csspart light - Each `<kpi-light>` element.
 *
 * @cssproperty --kpi-board-min-column - Narrowest column before the grid wraps. Default 16rem.
 * @cssproperty --kpi-board-gap - Space between lights. Default 0.75rem.
 *
 * @event kpi-status-change - From a light inside: its status changed.
 */
export class KpiBoard extends KpiElement {
  static override styles = kpiBoardStyles;
  // Declared statically rather than with decorators: the decorator helpers cost bytes on every page.
  static override properties: PropertyDeclarations = {
    kpis: { reflect: true },
    filter: { reflect: true },
    compact: { type: Boolean, reflect: true },
    sort: { reflect: true },
    server: { reflect: true },
  };

  /** Comma-separated KPI ids to show, in this order. Default every KPI. */
  declare kpis: string | undefined;

  /** An id pattern, `*` matching anything, e.g. `efile-*`. */
  declare filter: string | undefined;

  /** Lights in their one-line `compact` form. */
  compact = false;

  /** `budget`: the KPIs whose error budget has least left first, those without one last. Default the server's order (or `kpis`'s). */
  declare sort: string | undefined;

  /** The KPI server's URL. Default: the server the script came from. */
  declare server: string | undefined;

  readonly #subscription = new FeedSubscription(this, () => ({
    server: this.server,
    kpi: EVERY_KPI,
  }));

  protected override render(): TemplateResult {
    const feed = this.#subscription.feed;
    const error = this.#subscription.error;
    if (error !== undefined)
      return html`<p class="frame empty">Not connected: ${error.message}</p>`;
    let ids = selectKpis(feed?.readings().map((r) => r.id) ?? [], {
      kpis: this.kpis,
      filter: this.filter,
    });
    if (ids.length === 0) {
      return html`<p class="frame empty">${feed?.loaded ? 'No KPIs match.' : 'Loading KPIs…'}</p>`;
    }
    const sort = this.sort ?? '';
    if (sort === 'budget') ids = orderByBudget(ids, (id) => feed?.reading(id)?.budget?.remaining);
    const refused =
      sort === '' || sort === 'budget'
        ? nothing
        : html`<p class="frame empty">Not sorted: sort="${sort}" is not known; use sort="budget".</p>`;
    return html`${refused}<ul part="grid" class="frame grid">
      ${ids.map(
        (id) =>
          html`<li><kpi-light part="light" kpi=${id} .server=${this.server} ?compact=${this.compact}></kpi-light></li>`,
      )}
    </ul>`;
  }
}
