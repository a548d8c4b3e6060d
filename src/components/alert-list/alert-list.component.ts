/** `<alert-list>`: the alerts pending and firing now, with severity, since when and the runbook. */

import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { AlertInfo } from '../../sdk/types.js';
import { ClockTick } from '../connection/clock-tick.js';
import { FeedSubscription } from '../connection/feed-subscription.js';
import { ALERTS } from '../connection/kpi-feed.js';
import { pageNow } from '../connection/page-connection.js';
import { KpiElement, type PropertyDeclarations } from '../element/kpi-element.js';
import { statusShape } from '../kpi-light/status-shape.js';
import { pageLanguage } from '../reading/page-language.js';
import { relativeTime } from '../reading/relative-time.js';
import { runbookHref } from '../reading/runbook-href.js';
import { STATUS_LOOK } from '../reading/status-look.js';
import { alertListStyles } from './alert-list.styles.js';
import { orderAlerts } from './order-alerts.js';
import { severityLook } from './severity-look.js';

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The alerts of one KPI server that are pending or firing, firing and paging ones first. Each
 * shows its severity as a word and a shape (square for paging severities, triangle for
 * tickets and warnings, dotted circle otherwise), since when it holds, its summary and runbook,
 * and whether a silence or a more severe alert mutes it. It follows the page's one stream.
 *
 * @summary Pending and firing alerts, live from the KPI server.
 *
 * @example
 * ```html
 * <alert-list></alert-list>
 * <alert-list kpi="efile-error-rate" server="https://kpi.example.gov"></alert-list>
 * ```
 *
 * @csspart list - The list of alerts.
 * @csspart alert - One alert.
 * @csspart shape - The severity shape (SVG).
 * @csspart severity - The severity word.
 * @csspart name - The alert's name.
 * @csspart summary - The alert's summary.
 * @csspart state - "Firing since …" or "Pending since …".
 * @csspart muted - Why notifications are muted: silenced or inhibited.
 * @csspart runbook - The runbook link.
 * @csspart empty - The line shown when nothing is pending or firing.
 *
 * @cssproperty --kpi-background - Background.
 * @cssproperty --kpi-text - Text colour.
 * @cssproperty --kpi-text-muted - Secondary text colour.
 * @cssproperty --kpi-link - Link colour.
 * @cssproperty --kpi-border - Border colour.
 * @cssproperty --kpi-focus - Focus ring colour.
 * @cssproperty --kpi-warning-fill - Fill of the warning (ticket) shape.
 * @cssproperty --kpi-warning-edge - Outline and word of the warning (ticket) severity.
 * @cssproperty --kpi-critical-fill - Fill of the critical (page) shape.
 * @cssproperty --kpi-critical-edge - Outline and word of the critical (page) severity.
 * @cssproperty --kpi-unknown-edge - Outline and word of other severities.
 * @cssproperty --kpi-font - Font family.
 * @cssproperty --kpi-font-size - Base font size. Default the reader's (`medium`).
 * @cssproperty --kpi-radius - Corner radius.
 */
export class AlertList extends KpiElement {
  static override styles = alertListStyles;
  // Declared statically rather than with decorators: the decorator helpers cost bytes on every page.
  static override properties: PropertyDeclarations = {
    kpi: { reflect: true },
    server: { reflect: true },
  };

  /** Only the alerts of this KPI id; default every alert. */
  declare kpi: string | undefined;

  /** The KPI server's URL. Default: the server the script came from. */
  declare server: string | undefined;

  readonly #subscription = new FeedSubscription(this, () => ({
    server: this.server,
    kpi: ALERTS,
  }));
  /** Redraws "updated … ago" while on the page. */
  protected readonly clock = new ClockTick(this);

  protected override render(): TemplateResult {
    const feed = this.#subscription.feed;
    const error = this.#subscription.error;
    if (error !== undefined || !feed?.loaded) {
      const text = error === undefined ? 'Loading alerts…' : `Not connected: ${error.message}`;
      return html`<p part="empty" class="frame empty" aria-busy=${error ? 'false' : 'true'}>${text}</p>`;
    }
    const alerts = orderAlerts(feed.alerts(), this.kpi || undefined);
    const lost =
      feed.disconnectedSince === null
        ? nothing
        : html`<p class="frame lost">Connection lost: these alerts may be out of date.</p>`;
    if (alerts.length === 0) {
      return html`${lost}<p part="empty" class="frame empty">No alerts pending or firing.</p>`;
    }
    const locale = pageLanguage();
    return html`${lost}<ul part="list" class="frame list" aria-label="Alerts">
      ${alerts.map((a) => this.#renderAlert(a, locale))}
    </ul>`;
  }

  #renderAlert(alert: AlertInfo, locale: string): TemplateResult {
    const look = severityLook(alert.severity);
    const firing = alert.state === 'firing';
    const since = (firing ? alert.firedAt : undefined) ?? alert.activeAt;
    const muted = alert.silencedBy?.length
      ? 'Silenced: no notifications'
      : alert.inhibited
        ? 'Inhibited by a critical alert of the same KPI'
        : undefined;
    const href = runbookHref(alert.runbook);
    const classes = `card alert ${look} ${alert.state} ${muted === undefined ? '' : 'muted'}`;
    return html`<li part="alert" class=${classes} data-shape=${STATUS_LOOK[look].shape} data-state=${alert.state}>
      ${statusShape(look)}
      <div class="body">
        <div class="head">
          <span part="severity" class="word">${capitalised(alert.severity)}</span>
          <span part="name" class="name">${alert.name}</span>
        </div>
        ${alert.summary ? html`<p part="summary" class="summary">${alert.summary}</p>` : nothing}
        <p part="state" class="state">
          ${firing ? 'Firing' : 'Pending'} since
          <time datetime=${since}>${relativeTime(Date.parse(since), pageNow(), locale)}</time>
        </p>
        ${muted === undefined ? nothing : html`<p part="muted" class="muted-why">${muted}</p>`}
        ${
          href === undefined
            ? nothing
            : html`<a part="runbook" class="runbook" href=${href} target="_blank" rel="noopener noreferrer"
                >Runbook<span class="visually-hidden"> for ${alert.name} (opens in a new tab)</span></a
              >`
        }
      </div>
    </li>`;
  }
}
