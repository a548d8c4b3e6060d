/** What a chart draws of a KPI (its value, or its error budget), and how it says it in words and in a table. */
import type { KpiReading, KpiStatus } from '../../sdk/types.js';
import type { PageClient } from '../connection/page-client.js';
import type { ChartData } from './chart-data.js';

/** The unit, thresholds and direction an axis and its bands are drawn for. */
export type ChartScale = Pick<KpiReading, 'unit' | 'thresholds' | 'direction'>;

/**
 * One way of charting a KPI. The element holds the data and draws it; the view says which data,
 * on which scale, and in which words.
 *
 * @example
 * ```ts
 * const view = budgetView();
 * const data = await view.load(client, reading);
 * plotOptions({ reading: view.scale(reading), … });
 * ```
 */
export interface ChartView {
  /** Changes when other data must be loaded (another KPI, range or set of groups). */
  key(reading: KpiReading): string;
  /** The data as the server sends it, extended with the reading. */
  load(client: PageClient, reading: KpiReading): Promise<ChartData>;
  /** The data extended with a live reading. */
  append(data: ChartData, reading: KpiReading): ChartData;
  scale(reading: KpiReading): ChartScale;
  /** The chart's name: its title and the table's caption. */
  title(reading: KpiReading | undefined, locale: string): string;
  /** The chart in words, for those who cannot see it. */
  summary(data: ChartData, reading: KpiReading, locale: string): string;
  /** One table cell: a value and its state in words. */
  cell(value: number | null, status: KpiStatus, reading: KpiReading, locale: string): string;
}
