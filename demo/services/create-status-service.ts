/** The e-file status service: `GET /filings/:id/status` tells a taxpayer where a filing stands. */
import { FilingLedger } from './filing-ledger.js';
import { type DemoService, type DemoServiceOptions, instrumentedApp } from './instrumented-app.js';

/** Options of {@link createStatusService}. */
export interface StatusServiceOptions extends DemoServiceOptions {
  /** The ledger the submit service writes to. Default: a new, empty one. */
  readonly ledger?: FilingLedger;
}

/** Filing ids are UUIDs; anything else is refused before it touches the ledger. */
const FILING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Creates the status service: `200 { id, status }` for a known filing, `404` for an unknown one,
 * after a few ms of simulated work.
 *
 * @example
 * ```ts
 * const status = createStatusService({ ledger });
 * await status.app.request(`/filings/${id}/status`);
 * ```
 */
export function createStatusService(options: StatusServiceOptions = {}): DemoService {
  const ledger = options.ledger ?? new FilingLedger();
  const service = instrumentedApp('status', { workMs: [5, 20], ...options });
  service.app.get('/filings/:id/status', service.faults, async (c) => {
    const id = c.req.param('id');
    if (!FILING_ID.test(id)) return c.json({ error: 'not a filing id' }, 400);
    await service.simulateWork();
    const status = ledger.status(id);
    if (!status) return c.json({ error: 'no such filing' }, 404);
    return c.json({ id, status });
  });
  return { name: service.name, app: service.app, knobs: service.knobs, registry: service.registry };
}
