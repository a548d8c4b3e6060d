/** `/federate`: the newest sample of every selected series in Prometheus's text format, for a Prometheus to scrape. */
import { type Context, Hono } from 'hono';
import type { Labels } from '../../model/model.js';
import { goFloat } from '../../promql/print-expr.js';
import type { FederatedSample, SeriesReader } from '../../series-reads/series-reads.js';
import { parseSelector, readApiParams } from './api-params.js';
import { ApiError } from './api-reply.js';

/** Prometheus's text exposition format, the one `/federate` answers in. */
export const FEDERATE_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** How far back a series' newest sample may be: Prometheus's lookback delta. */
const LOOKBACK_MS = 5 * 60_000;

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const names = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort();
  const parts = names.map((k) => `${k}="${escapeLabelValue(labels[k])}"`);
  // Prometheus adds its external labels, `instance` always among them, empty when unset.
  if (!Object.hasOwn(labels, 'instance')) parts.push('instance=""');
  return `{${parts.join(',')}}`;
}

/**
 * The samples as text: one `# TYPE <name> untyped` per metric name (federation does not know
 * types), then each series with its value and timestamp in ms. Series without a name are
 * left out, as Prometheus leaves them out.
 *
 * @example
 * ```ts
 * renderFederation([{ labels: { __name__: 'up', job: 'a', instance: 'h:1' }, t: 1700000000000, v: 1 }]);
 * // '# TYPE up untyped\nup{instance="h:1",job="a"} 1 1700000000000\n'
 * ```
 */
export function renderFederation(samples: readonly FederatedSample[]): string {
  const named = samples
    .filter((s) => s.labels.__name__)
    .map((s, i) => ({ s, i }))
    .sort((a, b) => {
      const an = a.s.labels.__name__;
      const bn = b.s.labels.__name__;
      return an < bn ? -1 : an > bn ? 1 : a.i - b.i;
    });
  let out = '';
  let last = '';
  for (const { s } of named) {
    const name = s.labels.__name__;
    if (name !== last) out += `# TYPE ${name} untyped\n`;
    last = name;
    out += `${name}${labelText(s.labels)} ${goFloat(s.v)} ${s.t}\n`;
  }
  return out;
}

/**
 * The federation route (`GET /federate?match[]=…`), path-relative. Each `match[]` selects
 * series; the answer holds each one's newest sample within the lookback, staleness markers
 * left out.
 *
 * @example
 * ```ts
 * app.route('/federate', createFederateRoutes({ reader, now: Date.now }));
 * ```
 */
export function createFederateRoutes(options: {
  readonly reader: SeriesReader;
  readonly now?: () => number;
  /** `--query.max-result-bytes`: the most the answer's series may take. */
  readonly maxBytes?: number;
}) {
  const now = options.now ?? Date.now;
  const federate = async (c: Context) => {
    const params = await readApiParams(c);
    let matcherSets: ReturnType<typeof parseSelector>[];
    try {
      matcherSets = params.all('match[]').map((m) => parseSelector(m));
    } catch (err) {
      // Prometheus answers a bad selector on /federate as plain text, the way a scraper reads it.
      if (err instanceof ApiError) return c.text(err.message, 400);
      throw err;
    }
    if (matcherSets.length === 0) {
      return c.body('', 200, { 'content-type': FEDERATE_CONTENT_TYPE });
    }
    const samples = await options.reader.read('federate', {
      matcherSets,
      atMs: now(),
      lookbackMs: LOOKBACK_MS,
      maxBytes: options.maxBytes,
    });
    // Plain text, as a scraper reads an error: the selection is too large to send.
    if (samples.tooLarge) return c.text(samples.tooLarge, 422);
    return c.body(renderFederation(samples.items), 200, {
      'content-type': FEDERATE_CONTENT_TYPE,
    });
  };
  return new Hono().get('/', federate);
}
