/** `<latency-chart>`: a KPI's history with its threshold bands, or its error budget, in a chart, in words and in a table. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import uPlot from 'uplot';
import type { KpiReading } from '../../sdk/types.js';
import { readDuration } from '../../shared/duration.js';
import { FeedSubscription } from '../connection/feed-subscription.js';
import type { KpiFeed } from '../connection/kpi-feed.js';
import { pageNow } from '../connection/page-connection.js';
import { KpiElement, type PropertyDeclarations } from '../element/kpi-element.js';
import { pageLanguage } from '../reading/page-language.js';
import { budgetView } from './budget-view.js';
import type { ChartData } from './chart-data.js';
import type { ChartView } from './chart-view.js';
import { latencyChartStyles } from './latency-chart.styles.js';
import { type PlotColours, plotOptions } from './plot-options.js';
import { valueView } from './value-view.js';

const DEFAULT_RANGE_MS = 3_600_000;

/**
 * A KPI's history as a line chart (uPlot) with its warning and critical bands, extended live as
 * readings arrive; one line per group for a `by:` KPI. With `show="budget"`, the KPI's error
 * budget burned down over its window instead, banded where it runs low and where it is spent.
 * Canvas is invisible to assistive technology, so the chart also says itself in words and opens
 * a data table from a button.
 *
 * @summary A KPI's history with threshold bands, a summary in words and a data table.
 *
 * @example
 * ```html
 * <latency-chart kpi="efile-latency" range="1h"></latency-chart>
 * <latency-chart kpi="efile-fast-filings" show="budget"></latency-chart>
 * ```
 *
 * @csspart chart - The frame around everything.
 * @csspart title - The KPI's title and the range.
 * @csspart plot - The canvas area (hidden from assistive technology).
 * @csspart summary - The chart in words.
 * @csspart table-button - The button that shows and hides the data table.
 * @csspart table - The data table.
 *
 * @cssproperty --kpi-chart-height - Height of the plot. Default 200px.
 * @cssproperty --kpi-series-1 - Colour of the first line (then -2, -3, -4 for more groups).
 * @cssproperty --kpi-warning-band - Fill of the warning band.
 * @cssproperty --kpi-critical-band - Fill of the critical band.
 * @cssproperty --kpi-background - Background.
 * @cssproperty --kpi-text - Text and axis colour.
 * @cssproperty --kpi-border - Frame and grid colour.
 * @cssproperty --kpi-link - Colour of the table button.
 * @cssproperty --kpi-focus - Focus ring colour.
 */
export class LatencyChart extends KpiElement {
  static override styles = latencyChartStyles;
  // Declared statically rather than with decorators, as the other elements are.
  static override properties: PropertyDeclarations = {
    kpi: { reflect: true },
    range: { reflect: true },
    group: { reflect: true },
    show: { reflect: true },
    server: { reflect: true },
    // `attribute: false` as well, so the elements manifest does not list state as attributes.
    data: { state: true, attribute: false },
    tableOpen: { state: true, attribute: false },
    loadError: { state: true, attribute: false },
  };

  /** The KPI's id, as in the policy file. */
  kpi = '';

  /** How far back the chart reaches, as a Prometheus duration (`15m`, `1h`, `1d`). */
  range = '1h';

  /** One group of a `by:` KPI, by label value or key; default every group, one line each. */
  declare group: string | undefined;

  /**
   * What to draw: `value` (the default), or `budget`, the KPI's error budget burned down over
   * its window (a KPI with an `objective`; `range` and `group` do not apply).
   */
  declare show: string | undefined;

  /** The KPI server's URL. Default: the server the script came from. */
  declare server: string | undefined;

  declare private data: ChartData | undefined;
  private tableOpen = false;
  declare private loadError: string | undefined;

  readonly #subscription = new FeedSubscription(this, () => ({
    server: this.server,
    kpi: this.kpi,
  }));
  #loadKey: string | undefined;
  #viewKey: string | undefined;
  #currentView: ChartView | undefined;
  #plot: uPlot | undefined;
  #plotKey: string | undefined;
  /** The data the plot shows now. */
  #plotted: ChartData | undefined;
  #resize: ResizeObserver | undefined;
  readonly #dark = matchMedia('(prefers-color-scheme: dark)');
  readonly #redraw = () => this.#plot?.redraw(false, true);

  get #rangeMs(): number {
    // The grammar's reader without its error messages: a range it cannot read falls back.
    return readDuration(this.range).ms || DEFAULT_RANGE_MS;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#dark.addEventListener('change', this.#redraw);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dark.removeEventListener('change', this.#redraw);
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#loadKey = undefined;
  }

  /** The view the attributes ask for, kept while they stay the same (it may hold what it loaded). */
  #view(): ChartView | string {
    const show = this.show ?? 'value';
    const key = [show, this.kpi, this.range, this.group ?? ''].join('\n');
    if (key !== this.#viewKey || this.#currentView === undefined) {
      this.#viewKey = key;
      if (show === 'value') {
        this.#currentView = valueView({
          kpi: this.kpi,
          rangeMs: this.#rangeMs,
          group: this.group ?? '',
          now: pageNow,
        });
      } else if (show === 'budget') this.#currentView = budgetView(this.kpi);
      else return `show="${show}" is not known; use show="value" or show="budget"`;
    }
    return this.#currentView;
  }

  protected override willUpdate(): void {
    const feed = this.#subscription.feed;
    const reading = feed?.reading(this.kpi);
    const view = this.#view();
    if (feed === undefined || reading === undefined || typeof view === 'string') return;
    const key = view.key(reading);
    if (key !== this.#loadKey) {
      this.#loadKey = key;
      this.data = undefined;
      this.loadError = undefined;
      void this.#load(feed, view, reading, key);
    } else if (this.data !== undefined) {
      this.data = view.append(this.data, reading);
    }
  }

  async #load(feed: KpiFeed, view: ChartView, reading: KpiReading, key: string): Promise<void> {
    try {
      const data = await view.load(feed.client, reading);
      if (key !== this.#loadKey) return;
      const latest = feed.reading(this.kpi);
      this.data = latest === undefined || latest === reading ? data : view.append(data, latest);
    } catch (error) {
      if (key !== this.#loadKey) return;
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  #colours(): PlotColours {
    const style = getComputedStyle(this);
    const read = (name: string) => style.getPropertyValue(name).trim();
    return {
      text: read('--_kpi-text'),
      grid: read('--_kpi-border'),
      warningBand: read('--_kpi-warning-band'),
      criticalBand: read('--_kpi-critical-band'),
      series: [1, 2, 3, 4].map((i) => read(`--_kpi-series-${i}`)),
    };
  }

  protected override updated(): void {
    const area = this.renderRoot.querySelector<HTMLElement>('.plot');
    const reading = this.#subscription.feed?.reading(this.kpi);
    const view = this.#view();
    if (area === null || this.data === undefined || reading === undefined) return;
    if (typeof view === 'string') return;
    // uPlot only reads the columns (the history as sent, shared); its type asks for mutable arrays.
    const columns = [this.data.t, ...this.data.lines.map((l) => l.v)] as uPlot.AlignedData;
    const plotKey = `${this.#loadKey}\n${this.data.lines.length}`;
    if (this.#plot !== undefined && this.#plotKey === plotKey) {
      // Other updates (the table opened) leave the data as drawn: no need to draw it again.
      if (this.#plotted !== this.data) this.#plot.setData(columns);
      this.#plotted = this.data;
      return;
    }
    this.#plot?.destroy();
    this.#plotKey = plotKey;
    this.#plotted = this.data;
    const height = area.clientHeight || 200;
    this.#plot = new uPlot(
      plotOptions({
        reading: view.scale(reading),
        labels: this.data.lines.map((l) => l.label),
        locale: pageLanguage(),
        width: area.clientWidth || 600,
        height,
        colours: () => this.#colours(),
      }),
      columns,
      area,
    );
    this.#resize ??= new ResizeObserver(() => {
      // Its first call comes at once, with the width the plot was made at: a resize to the
      // same size would draw every point again.
      const width = area.clientWidth;
      if (width > 0 && width !== this.#plot?.width) this.#plot?.setSize({ width, height });
    });
    this.#resize.observe(area);
  }

  protected override render(): TemplateResult {
    const locale = pageLanguage();
    const reading = this.#subscription.feed?.reading(this.kpi);
    const view = this.#view();
    const refused = typeof view === 'string' ? view : undefined;
    const error = refused ?? this.#subscription.error?.message ?? this.loadError;
    const title = typeof view === 'string' ? this.kpi : view.title(reading, locale);
    const data = this.data;
    let summary: string;
    if (error !== undefined) summary = `Chart unavailable: ${error}`;
    else if (reading === undefined || data === undefined || typeof view === 'string') {
      summary = `Loading ${this.kpi}…`;
    } else summary = view.summary(data, reading, locale);
    return html`<div part="chart" class="frame chart">
      <div part="title" class="title" id="title">${title}</div>
      <div part="plot" class="plot" aria-hidden="true"></div>
      <p part="summary" class="summary">${summary}</p>
      <button
        part="table-button"
        type="button"
        aria-expanded=${this.tableOpen ? 'true' : 'false'}
        aria-controls="table"
        ?disabled=${data === undefined || error !== undefined}
        @click=${() => (this.tableOpen = !this.tableOpen)}
      >
        ${this.tableOpen ? 'Hide data table' : 'Show data table'}
      </button>
      <div
        id="table"
        class="table"
        role="region"
        aria-labelledby="title"
        tabindex="0"
        ?hidden=${!this.tableOpen}
      >
        ${this.tableOpen && data !== undefined && reading !== undefined && typeof view !== 'string' ? this.#renderTable(view, data, reading, title, locale) : nothing}
      </div>
    </div>`;
  }

  #renderTable(
    view: ChartView,
    data: ChartData,
    reading: KpiReading,
    title: string,
    locale: string,
  ): TemplateResult {
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    return html`<table part="table">
      <caption>
        ${title}
      </caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          ${data.lines.map((l) => html`<th scope="col">${l.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${data.t.map(
          (t, i) => html`<tr>
            <th scope="row"><time datetime=${new Date(t).toISOString()}>${time.format(t)}</time></th>
            ${data.lines.map(
              (l) => html`<td>${view.cell(l.v[i], l.status[i], reading, locale)}</td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
