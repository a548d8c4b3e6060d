/** Zod schemas of `/healthz` and `/readyz`. */
import { z } from 'zod';

export const livenessSchema = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'Liveness', description: 'The process answers.' });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not ready']),
    checks: z.record(z.string(), z.enum(['ok', 'failing'])),
  })
  .meta({ id: 'Readiness', description: 'Each named check, and whether all pass.' });
