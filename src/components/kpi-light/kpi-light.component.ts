/** `<kpi-light>`: one KPI's status as colour, shape and word, with its value and why. */

import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { KpiReading, KpiStatus } from '../../sdk/types.js';
import { announceStatus } from '../announce/announce-status.js';
import { ClockTick } from '../connection/clock-tick.js';
import { FeedSubscription } from '../connection/feed-subscription.js';
import { pageNow } from '../connection/page-connection.js';
import { KpiElement, type PropertyDeclarations } from '../element/kpi-element.js';
import { budgetLook, describeBudget, formatShare } from '../reading/budget-look.js';
import { describeThresholds } from '../reading/describe-thresholds.js';
import { formatValue } from '../reading/format-value.js';
import { pageLanguage } from '../reading/page-language.js';
import { type Freshness, readingFreshness } from '../reading/reading-freshness.js';
import { relativeTime } from '../reading/relative-time.js';
import { runbookHref } from '../reading/runbook-href.js';
import { selectGroup } from '../reading/select-group.js';
import { STATUS_LOOK } from '../reading/status-look.js';
import { kpiLightStyles } from './kpi-light.styles.js';
import { cardWarnings, compactWarnings, readingWarningsStyles } from './reading-warnings.js';
import { statusShape } from './status-shape.js';

/** `detail` of `kpi-status-change`. */
export interface KpiStatusChangeDetail {
  readonly id: string;
  /** The `group` attribute, when the light shows one group. */
  readonly group?: string;
  readonly status: KpiStatus;
  readonly previous: KpiStatus;
  readonly reading: KpiReading;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'kpi-status-change': CustomEvent<KpiStatusChangeDetail>;
  }
}

/** What the light shows: the KPI's own reading or one group's. */
interface LightView {
  readonly reading: KpiReading;
  readonly title: string;
  readonly value: number | null;
  readonly status: KpiStatus;
  readonly freshness: Freshness;
}

/**
 * One KPI as a traffic light: a coloured shape and a word for its status, its value in its
 * unit, its thresholds in words, when it was last updated and its runbook. A KPI with an
 * objective also shows the objective, where it stands now and its error budget left, the
 * budget's state (healthy, low, spent) as a word and a shape. A stale or unknown reading is
 * drawn dashed and hatched and says why.
 *
 * @summary One KPI's status as colour, shape and word, live from the KPI server.
 *
 * @example
 * ```html
 * <kpi-light kpi="efile-error-rate"></kpi-light>
 * <kpi-light kpi="efile-error-rate" group="IRS" compact></kpi-light>
 * ```
 *
 * @csspart light - The card (or the compact line) around everything.
 * @csspart shape - The status shape (SVG).
 * @csspart status - The status word.
 * @csspart value - The value in its unit.
 * @csspart title - The KPI's title.
 * @csspart reason - Why the reading is stale or unknown.
 * @csspart warnings - The reading's warnings in words (a selector that can never match, a target down); the count alone when compact.
 * @csspart thresholds - The thresholds in words.
 * @csspart updated - When the value was last computed.
 * @csspart runbook - The runbook link.
 * @csspart objective - For a KPI with an objective: the objective and where the KPI stands now.
 * @csspart budget - The error budget: its state as a word and a shape, and what is left of its window.
 * @csspart budget-shape - The budget state's shape (SVG).
 *
 * @cssproperty --kpi-background - Card background.
 * @cssproperty --kpi-text - Text colour.
 * @cssproperty --kpi-text-muted - Secondary text colour.
 * @cssproperty --kpi-link - Link colour.
 * @cssproperty --kpi-border - Card border colour.
 * @cssproperty --kpi-focus - Focus ring colour.
 * @cssproperty --kpi-ok-fill - Fill of the OK shape.
 * @cssproperty --kpi-ok-edge - Outline of the OK shape and colour of its word.
 * @cssproperty --kpi-warning-fill - Fill of the warning shape.
 * @cssproperty --kpi-warning-edge - Outline of the warning shape and colour of its word.
 * @cssproperty --kpi-critical-fill - Fill of the critical shape.
 * @cssproperty --kpi-critical-edge - Outline of the critical shape and colour of its word.
 * @cssproperty --kpi-unknown-fill - Fill of the unknown shape. Default none: hollow.
 * @cssproperty --kpi-unknown-edge - Outline of the unknown shape, its word and the stale hatching.
 * @cssproperty --kpi-font - Font family.
 * @cssproperty --kpi-font-size - Base font size. Default the reader's (`medium`).
 * @cssproperty --kpi-radius - Corner radius.
 *
 * @event kpi-status-change - The status shown changed; `detail` is a `KpiStatusChangeDetail`.
 */
export class KpiLight extends KpiElement {
  static override styles = [...kpiLightStyles, readingWarningsStyles];
  // Declared statically rather than with decorators: the decorator helpers cost bytes on every page.
  static override properties: PropertyDeclarations = {
    kpi: { reflect: true },
    group: { reflect: true },
    compact: { type: Boolean, reflect: true },
    server: { reflect: true },
  };

  /** The KPI's id, as in the policy file. */
  kpi = '';

  /** One group of a `by:` KPI: its label value (`IRS`) or its key (`agency="IRS"`). */
  declare group: string | undefined;

  /** One short line that fits a table cell: shape, word and value. */
  compact = false;

  /** The KPI server's URL. Default: the server the script came from. */
  declare server: string | undefined;

  readonly #subscription = new FeedSubscription(this, () => ({
    server: this.server,
    kpi: this.kpi,
  }));
  /** The status last drawn, and for which KPI and group: another KPI is no status change. */
  #shown: { readonly key: string; readonly status: KpiStatus } | undefined;
  /** Redraws "updated … ago" while on the page. */
  protected readonly clock = new ClockTick(this);

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#shown = undefined;
  }

  #view(locale: string): LightView | undefined {
    const feed = this.#subscription.feed;
    const reading = feed?.reading(this.kpi);
    if (feed === undefined || reading === undefined) return undefined;
    if (this.group === undefined || this.group === '') {
      const freshness = readingFreshness(reading, feed.disconnectedSince, pageNow(), locale);
      return {
        reading,
        title: reading.title,
        value: reading.value,
        status: reading.status,
        freshness,
      };
    }
    const group = selectGroup(reading, this.group);
    const status = group?.status ?? 'unknown';
    const reason = group === undefined ? `no group ${this.group}` : group.reason;
    const freshness = readingFreshness(
      { ...reading, status, reason },
      feed.disconnectedSince,
      pageNow(),
      locale,
    );
    const name = group === undefined ? this.group : Object.values(group.labels).join(', ');
    return {
      reading,
      title: `${reading.title} — ${name}`,
      value: group?.value ?? null,
      status,
      freshness,
    };
  }

  protected override render(): TemplateResult {
    const locale = pageLanguage();
    const view = this.#view(locale);
    if (view === undefined) return this.#renderWaiting();
    this.#noteStatus(view);
    return this.compact ? this.#renderCompact(view, locale) : this.#renderCard(view, locale);
  }

  #renderWaiting(): TemplateResult {
    const feed = this.#subscription.feed;
    const error = this.#subscription.error;
    const text =
      error !== undefined
        ? `Not connected: ${error.message}`
        : this.kpi === ''
          ? 'No KPI named'
          : feed?.loaded
            ? `No KPI "${this.kpi}" on this server`
            : `Loading ${this.kpi}…`;
    const classes = `frame card light unknown ${this.compact ? 'compact' : ''}`;
    return html`<div part="light" class=${classes} aria-busy=${feed?.loaded ? 'false' : 'true'}>
      ${statusShape('unknown')}<span class="why">${text}</span>
    </div>`;
  }

  #renderCard(view: LightView, locale: string): TemplateResult {
    const look = STATUS_LOOK[view.status];
    const href = runbookHref(view.reading.runbook);
    const at = Date.parse(view.reading.evaluatedAt);
    const classes = `frame card light changes ${view.status} ${view.freshness.stale ? 'stale' : ''}`;
    return html`<div part="light" class=${classes} data-shape=${look.shape}>
      ${statusShape(view.status)}
      <div class="body">
        <div part="title" class="title">${view.title}</div>
        <div class="reading">
          <span part="status" class="word">${look.word}</span>
          <span part="value" class="value">${formatValue(view.value, view.reading.unit, locale)}</span>
        </div>
        ${
          view.freshness.why === undefined
            ? nothing
            : html`<p part="reason" class="why">${view.freshness.why}</p>`
        }
        ${cardWarnings(view.reading.warnings)}
        <p part="thresholds" class="thresholds">${describeThresholds(view.reading, locale)}</p>
        ${this.group ? nothing : this.#renderBudget(view.reading, locale)}
        <p part="updated" class="updated">
          Updated <time datetime=${view.reading.evaluatedAt}>${relativeTime(at, pageNow(), locale)}</time>
        </p>
        ${
          href === undefined
            ? nothing
            : html`<a part="runbook" class="runbook" href=${href} target="_blank" rel="noopener noreferrer"
                >Runbook<span class="visually-hidden"> for ${view.title} (opens in a new tab)</span></a
              >`
        }
      </div>
    </div>`;
  }

  /**
   * Pyrra's three numbers for a KPI with an objective: the objective, where the KPI stands in
   * its terms now, and the error budget left, its state as a word and a shape.
   */
  #renderBudget(reading: KpiReading, locale: string): TemplateResult | typeof nothing {
    const { objective, budget, value } = reading;
    if (objective === undefined) return nothing;
    // A ratio KPI's budget counts its bad share; anything else counts time spent critical.
    const ratio = reading.unit === 'percent' || reading.unit === 'ratio';
    const good = value === null ? null : reading.direction === 'lower-is-worse' ? value : 1 - value;
    const target = ratio
      ? `Objective ${formatShare(objective, locale)}, now ${good === null ? '—' : formatShare(good, locale)}`
      : `Objective: not critical ${formatShare(objective, locale)} of the time`;
    const state = budgetLook(budget?.remaining);
    return html`<p part="objective" class="thresholds">${target}</p>
      <p part="budget" class="budget ${state.look}" data-budget=${state.word}>
        ${statusShape(state.look, 'budget-shape')}<span class="word">${state.word}</span>
        — ${budget === undefined ? 'budget: not counted yet' : describeBudget(budget, locale)}
      </p>`;
  }

  #renderCompact(view: LightView, locale: string): TemplateResult {
    const look = STATUS_LOOK[view.status];
    const classes = `frame card light compact changes ${view.status} ${view.freshness.stale ? 'stale' : ''}`;
    return html`<span part="light" class=${classes} data-shape=${look.shape}>
      ${statusShape(view.status)}
      <span class="visually-hidden">${view.title}:</span>
      <span part="status" class="word">${look.word}</span>
      <span part="value" class="value">${formatValue(view.value, view.reading.unit, locale)}</span>
      ${view.freshness.stale ? html`<span class="why" aria-hidden="true">stale</span>` : nothing}
      ${compactWarnings(view.reading.warnings)}
      ${
        view.freshness.why === undefined
          ? nothing
          : html`<span part="reason" class="visually-hidden">${view.freshness.why}</span>`
      }
    </span>`;
  }

  /** Tells the page (event) and the viewer (live region) when the shown status changes. */
  #noteStatus(view: LightView): void {
    const key = `${view.reading.id}\n${this.group ?? ''}`;
    const previous = this.#shown?.key === key ? this.#shown.status : undefined;
    this.#shown = { key, status: view.status };
    if (previous === undefined || previous === view.status) return;
    const detail: KpiStatusChangeDetail = {
      id: view.reading.id,
      ...(this.group !== undefined && { group: this.group }),
      status: view.status,
      previous,
      reading: view.reading,
    };
    // After this render, so listeners see the light already showing its new status.
    void this.updateComplete.then(() => {
      this.dispatchEvent(
        new CustomEvent('kpi-status-change', { detail, bubbles: true, composed: true }),
      );
    });
    announceStatus(key, view.title, STATUS_LOOK[view.status].word);
  }
}
