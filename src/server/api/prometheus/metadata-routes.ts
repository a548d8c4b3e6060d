/** `metadata`, `targets` and `targets/metadata` of Prometheus's API, from what the scraper knows. */
import { type Context, Hono } from 'hono';
import { formatDuration } from '../../../shared/duration.js';
import { compileMatcher } from '../../model/label-matcher.js';
import type { Labels } from '../../model/model.js';
import type { MetricFamily } from '../../scrape/exposition/exposition-types.js';
import type { ScrapeHealth } from '../../scrape/target-health.js';
import type { SeriesReader } from '../../series-reads/series-reads.js';
import { badParam, limitParam, parseSelector, readApiParams } from './api-params.js';
import { apiSuccess } from './api-reply.js';

/** Options of {@link createMetadataRoutes}. */
export interface MetadataRoutesOptions {
  readonly reader: SeriesReader;
  /** The scraper's health of every target, in policy order. */
  readonly targets: () => readonly ScrapeHealth[];
}

/** One metric's metadata as Prometheus serves it. */
interface MetadataEntry {
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** Go's zero time, which Prometheus writes for a target never scraped. */
const NEVER = '0001-01-01T00:00:00Z';

function entry(f: MetricFamily): MetadataEntry {
  // The classic text format's `untyped` is `unknown` in Prometheus's metadata.
  return {
    type: f.type === 'untyped' ? 'unknown' : f.type,
    help: f.help ?? '',
    unit: f.unit ?? '',
  };
}

function sameEntry(a: MetadataEntry, b: MetadataEntry): boolean {
  return a.type === b.type && a.help === b.help && a.unit === b.unit;
}

function wholeParam(c: Context, name: string): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return -1;
  const n = Number(text);
  if (!Number.isInteger(n)) throw badParam(name, `cannot parse "${text}" to a whole number`);
  return n;
}

/** The labels service discovery would have found for a static target, as Prometheus shows them. */
function discoveredLabels(t: ScrapeHealth): Labels {
  const url = new URL(t.url);
  const out: Record<string, string> = {
    __address__: t.instance,
    __metrics_path__: url.pathname,
    __scheme__: url.protocol.replace(/:$/, ''),
    __scrape_interval__: formatDuration(t.intervalMs),
    __scrape_timeout__: formatDuration(t.timeoutMs),
  };
  for (const [k, v] of url.searchParams) out[`__param_${k}`] = v;
  for (const [k, v] of Object.entries(t.labels)) if (k !== 'instance') out[k] = v;
  return out;
}

/**
 * The target in Prometheus's `activeTargets` shape.
 *
 * @example
 * ```ts
 * prometheusTarget(scrape.health()[0]).scrapePool; // 'efile'
 * ```
 */
export function prometheusTarget(t: ScrapeHealth) {
  return {
    discoveredLabels: discoveredLabels(t),
    labels: t.labels,
    scrapePool: t.job,
    scrapeUrl: t.url,
    globalUrl: t.url,
    lastError: t.lastError ?? '',
    lastScrape: t.lastScrape === null ? NEVER : new Date(t.lastScrape).toISOString(),
    lastScrapeDuration: (t.lastDurationMs ?? 0) / 1000,
    health: t.health,
    scrapeInterval: formatDuration(t.intervalMs),
    scrapeTimeout: formatDuration(t.timeoutMs),
  };
}

/**
 * The routes, path-relative (mount under `/api/v1`). `metadata` merges every target's
 * `# HELP`/`# TYPE`/`# UNIT` by metric (`limit`, `limit_per_metric`, `metric`); `targets`
 * answers Prometheus's `activeTargets` (static targets are never dropped); `targets/metadata`
 * lists each target's entries (`match_target`, `metric`, `limit`).
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1', createMetadataRoutes({ reader, targets: () => scrape.health() }));
 * ```
 */
export function createMetadataRoutes(options: MetadataRoutesOptions) {
  const { reader } = options;
  return new Hono()
    .get('/metadata', async (c) => {
      const limit = wholeParam(c, 'limit');
      const perMetric = wholeParam(c, 'limit_per_metric');
      const only = c.req.query('metric');
      const merged = new Map<string, MetadataEntry[]>();
      for (const target of await reader.read('metadata', {})) {
        for (const f of target.families) {
          if (only && f.name !== only) continue;
          const list = merged.get(f.name) ?? [];
          const e = entry(f);
          if (!list.some((x) => sameEntry(x, e))) list.push(e);
          merged.set(f.name, list);
        }
      }
      const data: Record<string, MetadataEntry[]> = {};
      for (const name of [...merged.keys()].sort()) {
        if (limit >= 0 && Object.keys(data).length >= limit) break;
        const list = merged.get(name) ?? [];
        data[name] = perMetric > 0 ? list.slice(0, perMetric) : list;
      }
      return apiSuccess(c, data);
    })
    .get('/targets', (c) => {
      const state = c.req.query('state') ?? 'any';
      const pool = c.req.query('scrapePool');
      const active =
        state === 'dropped'
          ? []
          : options
              .targets()
              .filter((t) => !pool || t.job === pool)
              .map(prometheusTarget);
      return apiSuccess(c, { activeTargets: active, droppedTargets: [] });
    })
    .get('/targets/metadata', async (c) => {
      const params = await readApiParams(c);
      const targetText = params.get('match_target');
      const matchers = targetText
        ? parseSelector(targetText, 'match_target', { allowEmpty: true }).map(compileMatcher)
        : [];
      const only = params.get('metric');
      const limit = limitParam(params);
      const out: Record<string, unknown>[] = [];
      for (const target of await reader.read('metadata', {})) {
        if (!matchers.every((m) => m.matches(target.labels[m.name] ?? ''))) continue;
        for (const f of target.families) {
          if (only && f.name !== only) continue;
          if (limit > 0 && out.length >= limit) break;
          out.push({ target: target.labels, ...(only ? {} : { metric: f.name }), ...entry(f) });
        }
      }
      return apiSuccess(c, out);
    });
}
