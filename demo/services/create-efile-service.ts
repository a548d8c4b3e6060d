/** The e-file submit service: `POST /filings` takes a tax return, checks it, returns its id. */
import { z } from 'zod';
import { FilingLedger } from './filing-ledger.js';
import { type DemoService, type DemoServiceOptions, instrumentedApp } from './instrumented-app.js';

/** The forms the demo portal accepts. */
export const FORMS = ['1040', '1040-SR', '1040-NR', '1040-X'] as const;

/** A filing as a taxpayer's software submits it; only what the demo needs to validate. */
export const filingRequest = z.strictObject({
  form: z.enum(FORMS),
  taxYear: z
    .number()
    .int()
    .min(2000)
    .refine((y) => y <= new Date().getUTCFullYear(), 'cannot file for a future year'),
  /** A taxpayer id as nine digits; the demo never stores it. */
  tin: z.string().regex(/^\d{9}$/, 'expected nine digits'),
  /** Adjusted gross income in whole dollars. */
  agi: z.number().int().min(0).max(1e12),
});

export type FilingRequest = z.infer<typeof filingRequest>;

/** Options of {@link createEfileService}. */
export interface EfileServiceOptions extends DemoServiceOptions {
  /** Where filings go; share it with the status service. Default: a new ledger. */
  readonly ledger?: FilingLedger;
}

/**
 * Creates the submit service. A valid filing is answered `202` with `{ id, status }` after
 * tens of ms of simulated work; an invalid one `400` with the problems.
 *
 * @example
 * ```ts
 * const efile = createEfileService({ ledger });
 * await efile.app.request('/filings', { method: 'POST', body: JSON.stringify(filing) });
 * ```
 */
export function createEfileService(
  options: EfileServiceOptions = {},
): DemoService & { ledger: FilingLedger } {
  const ledger = options.ledger ?? new FilingLedger();
  const service = instrumentedApp('efile', { workMs: [20, 60], ...options });
  service.app.post('/filings', service.faults, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'expected a JSON filing' }, 400);
    }
    const parsed = filingRequest.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      return c.json({ error: 'invalid filing', issues }, 400);
    }
    await service.simulateWork();
    const filing = ledger.add(parsed.data.form, parsed.data.taxYear);
    return c.json({ id: filing.id, status: 'received' }, 202);
  });
  return {
    name: service.name,
    app: service.app,
    knobs: service.knobs,
    registry: service.registry,
    ledger,
  };
}
