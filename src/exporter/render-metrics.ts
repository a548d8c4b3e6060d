/** Renders a prom-client registry as Prometheus text or OpenMetrics, whichever the scraper's Accept asks for. */
import {
  openMetricsContentType,
  prometheusContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';

/** The two exposition formats `/metrics` can answer in. */
export type MetricsFormat = 'prometheus' | 'openmetrics';

/** A rendered exposition and the Content-Type to send it with. */
export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: string;
}

const OPENMETRICS_MEDIA_TYPE = 'application/openmetrics-text';

/**
 * Picks OpenMetrics when the Accept header lists `application/openmetrics-text` with a quality
 * at least that of plain text (Prometheus sends it first, at q=1), Prometheus text otherwise.
 *
 * @example
 * ```ts
 * formatFromAccept('application/openmetrics-text;version=1.0.0,text/plain;q=0.5'); // 'openmetrics'
 * formatFromAccept('*\/*'); // 'prometheus'
 * ```
 */
export function formatFromAccept(accept: string | null | undefined): MetricsFormat {
  if (!accept?.toLowerCase().includes(OPENMETRICS_MEDIA_TYPE)) return 'prometheus';
  let openMetricsQ = 0;
  let textQ = 0;
  for (const range of accept.split(',')) {
    const params = range.split(';');
    const mediaType = params[0].trim().toLowerCase();
    let q = 1;
    for (let i = 1; i < params.length; i++) {
      const [key, value] = params[i].split('=');
      if (key.trim().toLowerCase() === 'q') q = Number(value) || 0;
    }
    if (mediaType === OPENMETRICS_MEDIA_TYPE) openMetricsQ = Math.max(openMetricsQ, q);
    else if (mediaType === 'text/plain') textQ = Math.max(textQ, q);
  }
  return openMetricsQ > 0 && openMetricsQ >= textQ ? 'openmetrics' : 'prometheus';
}

/**
 * Renders `registry` in `format`, leaving the registry exactly as it was.
 *
 * prom-client renders by the registry's own content type, and in OpenMetrics mode it renames
 * every counter in place (`http_requests_total` → `http_requests`) for good. Flipping the
 * registry's content type per scrape would therefore corrupt later Prometheus scrapes and race
 * with concurrent ones. Instead, a format the registry does not speak is rendered by a throwaway
 * registry of that format holding views of the metrics: `Object.create(metric)` shares the
 * metric's state through its prototype, while the rename lands on the view alone.
 */
export async function renderMetrics(
  registry: Registry<RegistryContentType>,
  format: MetricsFormat,
): Promise<RenderedMetrics> {
  const contentType = format === 'openmetrics' ? openMetricsContentType : prometheusContentType;
  if (registry.contentType === prometheusContentType && format === 'prometheus') {
    return { contentType, body: await registry.metrics() };
  }
  // prom-client's typings omit the constructor's content-type argument; the setter is typed.
  const renderer = new Registry<RegistryContentType>();
  renderer.setContentType(contentType);
  for (const metric of registry.getMetricsAsArray()) {
    renderer.registerMetric(Object.create(metric));
  }
  const defaultLabels = defaultLabelsOf(registry);
  if (defaultLabels) renderer.setDefaultLabels(defaultLabels);
  return { contentType, body: await renderer.metrics() };
}

/** prom-client keeps `setDefaultLabels` values in a field it offers no getter for. */
function defaultLabelsOf(
  registry: Registry<RegistryContentType>,
): Record<string, string> | undefined {
  return (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
}
