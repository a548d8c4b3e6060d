/** `<latency-chart>`: a KPI's history with its threshold bands, in a chart, in words and in a table. */
import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import uPlot from 'uplot';
import type { KpiReading } from '../../sdk/types.js';
import { parseDuration } from '../../shared/duration.js';
import { FeedSubscription } from '../connection/feed-subscription.js';
import type { KpiFeed } from '../connection/kpi-feed.js';
import { pageNow } from '../connection/page-connection.js';
import { formatSpan } from '../reading/format-span.js';
import { formatValue } from '../reading/format-value.js';
import { pageLanguage } from '../reading/page-language.js';
import { keyOfGroup, selectGroup } from '../reading/select-group.js';
import { STATUS_LOOK } from '../reading/status-look.js';
import { alignHistories, appendReading, type ChartData } from './chart-data.js';
import { latencyChartStyles } from './latency-chart.styles.js';
import { type PlotColours, plotOptions } from './plot-options.js';
import { summarizeLine } from './summarize-chart.js';

/** One line to fetch and draw. */
interface LineSpec {
  readonly label: string;
  readonly group?: string;
}

const DEFAULT_RANGE_MS = 3_600_000;

/**
 * A KPI's history as a line chart (uPlot) with its warning and critical bands, extended live as
 * readings arrive; one line per group for a `by:` KPI. Canvas is invisible to assistive
 * technology, so the chart also says itself in words and opens a data table from a button.
 *
 * @summary A KPI's history with threshold bands, a summary in words and a data table.
 *
 * @example
 * ```html
 * <latency-chart kpi="efile-latency" range="1h"></latency-chart>
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
export class LatencyChart extends LitElement {
  static override styles = latencyChartStyles;
  // Declared statically rather than with decorators, as the other elements are.
  static override properties: PropertyDeclarations = {
    kpi: { reflect: true },
    range: { reflect: true },
    group: { reflect: true },
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
  #plot: uPlot | undefined;
  #plotLines = -1;
  #resize: ResizeObserver | undefined;
  readonly #dark = matchMedia('(prefers-color-scheme: dark)');
  readonly #redraw = () => this.#plot?.redraw(false, true);

  get #rangeMs(): number {
    try {
      return parseDuration(this.range) || DEFAULT_RANGE_MS;
    } catch {
      return DEFAULT_RANGE_MS;
    }
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

  #lines(reading: KpiReading): LineSpec[] {
    if (this.group !== undefined && this.group !== '') {
      const group = selectGroup(reading, this.group);
      return group === undefined
        ? [{ label: this.group, group: this.group }]
        : [{ label: Object.values(group.labels).join(', '), group: keyOfGroup(group) }];
    }
    if (reading.groups !== undefined && reading.groups.length > 0) {
      return reading.groups.map((g) => ({
        label: Object.values(g.labels).join(', '),
        group: keyOfGroup(g),
      }));
    }
    return [{ label: reading.title }];
  }

  protected override willUpdate(): void {
    const feed = this.#subscription.feed;
    const reading = feed?.reading(this.kpi);
    if (feed === undefined || reading === undefined) return;
    const lines = this.#lines(reading);
    const key = [this.kpi, this.range, ...lines.map((l) => l.group ?? '')].join('\n');
    if (key !== this.#loadKey) {
      this.#loadKey = key;
      this.data = undefined;
      this.loadError = undefined;
      void this.#load(feed, lines, key);
    } else if (this.data !== undefined) {
      this.data = appendReading(this.data, reading, this.#rangeMs);
    }
  }

  async #load(feed: KpiFeed, lines: LineSpec[], key: string): Promise<void> {
    const to = pageNow();
    const from = to - this.#rangeMs;
    try {
      const histories = await Promise.all(
        lines.map((line) =>
          feed.client.history(this.kpi, {
            from,
            to,
            ...(line.group !== undefined && { group: line.group }),
          }),
        ),
      );
      if (key !== this.#loadKey) return;
      const data = alignHistories(
        lines.map((line, i) => ({ label: line.label, history: histories[i] })),
      );
      const reading = feed.reading(this.kpi);
      this.data = reading === undefined ? data : appendReading(data, reading, this.#rangeMs);
    } catch (error) {
      if (key !== this.#loadKey) return;
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  #colours(): PlotColours {
    const style = getComputedStyle(this);
    const read = (name: string) => style.getPropertyValue(name).trim();
    return {
      text: read('--kpi-text'),
      grid: read('--kpi-border'),
      warningBand: read('--kpi-warning-band'),
      criticalBand: read('--kpi-critical-band'),
      series: [1, 2, 3, 4].map((i) => read(`--kpi-series-${i}`)),
    };
  }

  protected override updated(): void {
    const area = this.renderRoot.querySelector<HTMLElement>('.plot');
    const reading = this.#subscription.feed?.reading(this.kpi);
    if (area === null || this.data === undefined || reading === undefined) return;
    const columns: uPlot.AlignedData = [this.data.t, ...this.data.lines.map((l) => l.v)];
    if (this.#plot !== undefined && this.#plotLines === this.data.lines.length) {
      this.#plot.setData(columns);
      return;
    }
    this.#plot?.destroy();
    this.#plotLines = this.data.lines.length;
    const height = area.clientHeight || 200;
    this.#plot = new uPlot(
      plotOptions({
        reading,
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
      if (area.clientWidth > 0) this.#plot?.setSize({ width: area.clientWidth, height });
    });
    this.#resize.observe(area);
  }

  protected override render(): TemplateResult {
    const locale = pageLanguage();
    const reading = this.#subscription.feed?.reading(this.kpi);
    const error = this.#subscription.error?.message ?? this.loadError;
    const title = `${reading?.title ?? this.kpi}, last ${formatSpan(this.#rangeMs, locale)}`;
    const data = this.data;
    let summary: string;
    if (error !== undefined) summary = `Chart unavailable: ${error}`;
    else if (reading === undefined || data === undefined) summary = `Loading ${this.kpi}…`;
    else summary = data.lines.map((l) => summarizeLine(data, l, reading.unit, locale)).join(' ');
    return html`<div part="chart" class="frame chart">
      <div part="title" class="title" id="title">${title}</div>
      <div part="plot" class="plot" aria-hidden="true"></div>
      <p part="summary" class="summary">${summary}</p>
      <button
        part="table-button"
        type="button"
        aria-expanded=${this.tableOpen ? 'true' : 'false'}
        aria-controls="table"
        ?disabled=${data === undefined}
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
        ${this.tableOpen && data !== undefined && reading !== undefined ? this.#renderTable(data, reading, title, locale) : nothing}
      </div>
    </div>`;
  }

  #renderTable(
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
              (l) =>
                html`<td>${formatValue(l.v[i], reading.unit, locale)} (${STATUS_LOOK[l.status[i]].word})</td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
