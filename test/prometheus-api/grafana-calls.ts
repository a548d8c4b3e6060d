/**
 * The HTTP calls Grafana's Prometheus data source makes, in the order a user's steps cause them,
 * recorded from its source (the `grafana-prometheus` package and the `promlib` backend) and
 * written down here as data: path, method, parameters.
 */

/** One call, relative to the data source URL. */
export interface GrafanaCall {
  /** What the user did, and which part of Grafana makes the call. */
  readonly step: string;
  readonly method: 'GET' | 'POST';
  /** Path under the data source URL, e.g. `/api/v1/labels`. */
  readonly path: string;
  /** Query string (GET) or form body (POST); `match[]` may repeat. */
  readonly params: readonly (readonly [string, string])[];
  /** True when both servers must answer the very same data, not just the same shape. */
  readonly sameData?: boolean;
}

/** Seconds, as Grafana sends times to the Prometheus API. */
const s = (ms: number) => String(Math.floor(ms / 1000));

/**
 * The sequence for a dashboard's default "last 1 hour" ending at `nowMs`, with the data
 * source's defaults: HTTP method POST, 15 s scrape interval, cache level "low" (label and
 * series lookups snap their range out to whole minutes).
 *
 * @example
 * ```ts
 * for (const call of grafanaCalls(Date.now())) await replay(call);
 * ```
 */
export function grafanaCalls(nowMs: number): GrafanaCall[] {
  const from = nowMs - 3_600_000;
  // Lookups (labels, values, series) snap start down and end up to the minute.
  const lookup: [string, string][] = [
    ['start', String(Math.floor(from / 60_000) * 60)],
    ['end', String(Math.ceil(nowMs / 60_000) * 60)],
  ];
  // A panel of 1 h at ~1 000 points steps at the data source's 15 s minimum interval, its
  // range aligned to the step; `$__rate_interval` is max(step + scrape, 4 × scrape) = 1m.
  const step = 15;
  const panel: [string, string][] = [
    ['start', String(Math.floor(from / 1000 / step) * step)],
    ['end', String(Math.floor(nowMs / 1000 / step) * step)],
    ['step', String(step)],
  ];
  return [
    {
      step: 'data source settings, "Save & test": the backend reads the build to tell Prometheus from Mimir',
      method: 'GET',
      path: '/api/v1/status/buildinfo',
      params: [],
    },
    {
      step: 'data source settings, "Save & test": the health check is an instant query of 1+1 at 4 s',
      method: 'POST',
      path: '/api/v1/query',
      params: [
        ['query', '1+1'],
        ['time', '4'],
      ],
      sameData: true,
    },
    {
      step: 'opening a query editor: the data source loads the recording rules it may expand',
      method: 'GET',
      path: '/api/v1/rules',
      params: [],
    },
    {
      step: 'opening a query editor: exemplars are offered when this answers success (times in ms)',
      method: 'GET',
      path: '/api/v1/query_exemplars',
      params: [
        ['query', 'test'],
        ['start', String(nowMs - 1_800_000)],
        ['end', String(nowMs)],
      ],
      sameData: true,
    },
    {
      step: 'metric browser and autocompletion start: every metric name',
      method: 'GET',
      path: '/api/v1/label/__name__/values',
      params: lookup,
    },
    {
      step: 'metric browser and autocompletion start: metric help and types',
      method: 'GET',
      path: '/api/v1/metadata',
      params: [],
      sameData: true,
    },
    {
      step: 'metric browser and autocompletion start: every label name',
      method: 'POST',
      path: '/api/v1/labels',
      params: lookup,
    },
    {
      step: 'metric browser, a metric picked: the label names of its series',
      method: 'POST',
      path: '/api/v1/labels',
      params: [...lookup, ['match[]', 'queue_depth']],
      sameData: true,
    },
    {
      step: 'metric browser, a label picked: its values among the metric series',
      method: 'GET',
      path: '/api/v1/label/queue/values',
      params: [...lookup, ['match[]', '{__name__="queue_depth"}']],
      sameData: true,
    },
    {
      step: 'metric browser, the selector built: its series, with the browser limit',
      method: 'POST',
      path: '/api/v1/series',
      params: [...lookup, ['match[]', '{__name__="queue_depth"}'], ['limit', '40000']],
      sameData: true,
    },
    {
      step: 'dashboard variable query label_values(up, job)',
      method: 'GET',
      path: '/api/v1/label/job/values',
      params: [...lookup, ['match[]', 'up']],
      sameData: true,
    },
    {
      step: 'dashboard panel: sum by (job) (rate(requests_total[$__rate_interval]))',
      method: 'POST',
      path: '/api/v1/query_range',
      params: [['query', 'sum by (job) (rate(requests_total[1m]))'], ...panel],
    },
    {
      step: 'Explore, query type "both": the range query',
      method: 'POST',
      path: '/api/v1/query_range',
      params: [['query', 'queue_depth'], ...panel],
    },
    {
      step: 'Explore, query type "both": the instant query at the range end',
      method: 'POST',
      path: '/api/v1/query',
      params: [
        ['query', 'queue_depth'],
        ['time', s(nowMs)],
      ],
      sameData: true,
    },
    {
      step: 'Explore with exemplars on: the backend asks for them over the range',
      method: 'POST',
      path: '/api/v1/query_exemplars',
      params: [['query', 'queue_depth'], ...panel.slice(0, 2)],
      sameData: true,
    },
    {
      step: 'Explore, a query with a typo: the error Grafana shows under the editor',
      method: 'POST',
      path: '/api/v1/query',
      params: [
        ['query', 'sum(rate(requests_total[5m])'],
        ['time', s(nowMs)],
      ],
      sameData: true,
    },
    {
      step: 'Alerting, the data source rules list',
      method: 'GET',
      path: '/api/v1/rules',
      params: [['type', 'alert']],
    },
  ];
}
