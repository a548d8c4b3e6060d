/** Zod schemas of silences (`/api/v1/silences`) and the alert list, proven equal to the SDK's types. */
import { z } from 'zod';
import type { NewSilence, Silence, SilenceMatcher } from '../../../sdk/types.js';
import type { Assert, SameShape } from './same-shape.js';
import { alertInfoSchema } from './stream-events.js';

export const silenceMatcherSchema = z
  .object({
    name: z.string(),
    value: z.string(),
    isRegex: z.boolean(),
    isEqual: z.boolean().optional(),
  })
  .meta({ id: 'SilenceMatcher', description: 'One label condition of a silence.' });

export const silenceSchema = z
  .object({
    id: z.string(),
    matchers: z.array(silenceMatcherSchema),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    createdBy: z.string(),
    comment: z.string(),
    status: z.enum(['pending', 'active', 'expired']),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Silence', description: 'Mutes the notices of matching alerts for a while.' });

export const silenceListSchema = z.array(silenceSchema);

export const newSilenceSchema = z
  .object({
    matchers: z.array(silenceMatcherSchema),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    createdBy: z.string(),
    comment: z.string(),
  })
  .meta({ id: 'NewSilence', description: 'A silence to add; `startsAt` defaults to now.' });

export const alertListSchema = z.array(alertInfoSchema);

export type SilenceProofs = [
  Assert<SameShape<z.output<typeof silenceMatcherSchema>, SilenceMatcher>>,
  Assert<SameShape<z.output<typeof silenceSchema>, Silence>>,
  Assert<SameShape<z.output<typeof newSilenceSchema>, NewSilence>>,
];
