/** `GET /api/v1/export/samples` and `/api/v1/export/kpis`: raw NDJSON feeds for a data pipeline, resumable by time. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ExportCursor, ExportPage, ExportPageRequest } from '../../feeds/export-page.js';
import type { KpiHistoryStore, StoredReading } from '../../history/index.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { exportDocs } from '../openapi/export-docs.js';
import { parseHistoryTime } from '../params/history-params.js';
import { problem } from '../problem.js';
import { ndjsonStream } from './ndjson-stream.js';

/** Response header: the `since` of the next export, once this one has ended cleanly. */
export const EXPORT_UNTIL_HEADER = 'X-Export-Until';

/** Samples per page of the sample feed: a few hundred kB of JSON. */
const SAMPLES_PER_PAGE = 10_000;
/** Readings per page of the KPI feed. */
const READINGS_PER_PAGE = 2_000;

/** Options of {@link createExportRoutes}. */
export interface ExportRoutesOptions {
  /** Who may read; the feeds need a token whatever `read` says. */
  readonly access: () => AccessPolicy;
  /** One page of scraped samples, where the head is; absent with a remote source. */
  readonly samples?: (request: ExportPageRequest) => Promise<ExportPage>;
  readonly history: Pick<KpiHistoryStore, 'readingsAfter'>;
  /**
   * How far behind now each feed ends, ms, so a resume from `X-Export-Until` misses nothing
   * still being written: a sample is stamped when its scrape starts and stored when it ends
   * (the longest scrape timeout), a reading when its round starts and stored when the round
   * ends (the evaluation interval).
   */
  readonly settleMs: () => { readonly samples: number; readonly kpis: number };
  /** Default `Date.now`. */
  readonly now?: () => number;
}

const NDJSON = {
  'content-type': 'application/x-ndjson; charset=utf-8',
  'cache-control': 'no-store',
};

/**
 * The export routes. Both take `since` (RFC 3339 or epoch; default: all the server holds) and
 * send records with `since < t <= until`, `until` being now less the settle time, given in the
 * `X-Export-Until` header: the next export's `since`. Records are keyed (a series' labels and
 * `t`; a KPI, group and `t`), so a consumer that upserts can repeat a cut-off export with the
 * same `since` without duplicates. A token with `read` is needed even when reading is public:
 * the feed is every sample and label the server holds, which a public page never needs, and
 * each export is a long request a stranger should not be able to open by the hundred.
 *
 * @example
 * ```ts
 * v1.route('/export', createExportRoutes({ access, samples: engine.exportPage, history, settleMs }));
 * // curl -H 'Authorization: Bearer …' '/api/v1/export/kpis?since=2026-11-24T00:00:00Z'
 * ```
 */
export function createExportRoutes(options: ExportRoutesOptions) {
  const now = options.now ?? Date.now;
  // Reading stays public for pages; the feeds ask for a token regardless.
  const tokenRequired = requireScope('read', () => ({ ...options.access(), read: 'token' }));
  const since = (text: string | undefined) =>
    text === undefined ? Number.MIN_SAFE_INTEGER : parseHistoryTime('since', text);

  return new Hono<{ Variables: AuthVariables }>()
    .use('*', tokenRequired)
    .get('/samples', describeRoute(exportDocs.samples), (c) => {
      const read = options.samples;
      if (!read) {
        return problem(c, {
          status: 501,
          detail:
            'the sample feed is only served with the embedded source; read samples from the Prometheus this server queries',
        });
      }
      const sinceMs = since(c.req.query('since'));
      const untilMs = now() - options.settleMs().samples;
      let cursor: ExportCursor | undefined;
      let done = false;
      const body = ndjsonStream(async () => {
        if (done) return null;
        const page = await read({
          sinceMs,
          untilMs,
          maxSamples: SAMPLES_PER_PAGE,
          ...(cursor && { cursor }),
        });
        cursor = page.next ?? undefined;
        done = page.next === null;
        return page.series;
      });
      return c.body(body, 200, { ...NDJSON, [EXPORT_UNTIL_HEADER]: String(untilMs) });
    })
    .get('/kpis', describeRoute(exportDocs.kpis), (c) => {
      const sinceMs = since(c.req.query('since'));
      const untilMs = now() - options.settleMs().kpis;
      let after: StoredReading | undefined;
      const body = ndjsonStream(async () => {
        const page = options.history.readingsAfter({
          sinceMs,
          untilMs,
          limit: READINGS_PER_PAGE,
          ...(after && { after }),
        });
        if (page.length === 0) return null;
        after = page[page.length - 1];
        return page;
      });
      return c.body(body, 200, { ...NDJSON, [EXPORT_UNTIL_HEADER]: String(untilMs) });
    });
}

/** The export routes' type, for typed clients. */
export type ExportRoutes = ReturnType<typeof createExportRoutes>;
