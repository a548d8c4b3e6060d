/** Reads a `POST /api/v1/silences` body into a `NewSilence`, naming the first bad field. */
import { z } from 'zod';
import type { NewSilence } from '../../../sdk/types.js';
import { SilenceError } from '../../alerts/index.js';

const matcher = z.strictObject({
  name: z.string().min(1),
  value: z.string(),
  isRegex: z.boolean(),
  isEqual: z.boolean().optional(),
});

const newSilence = z.strictObject({
  matchers: z.array(matcher),
  startsAt: z.string().optional(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});

/**
 * Checks the body's shape; what the shape cannot say (no matchers, end before start, a bad
 * regex) is the silence book's to refuse. Throws {@link SilenceError} with the field's path.
 *
 * @example
 * ```ts
 * const silence = parseSilenceBody(await c.req.json()); // or SilenceError('endsAt', …)
 * ```
 */
export function parseSilenceBody(body: unknown): NewSilence {
  const parsed = newSilence.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  throw new SilenceError(field, `${field}: ${issue.message}`);
}
