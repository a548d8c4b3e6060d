/** `GET/POST /api/v1/silences`, `GET/DELETE /api/v1/silences/:id`: mute alerts for a while. Paths are relative. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { type SilenceBook, SilenceError } from '../../alerts/index.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { alertDocs } from '../openapi/alert-docs.js';
import { parseSilenceBody } from '../params/silence-body.js';
import { ProblemError, problem } from '../problem.js';

/** Options of {@link createSilenceRoutes}. */
export interface SilenceRoutesOptions {
  readonly silences: SilenceBook;
  /** Who may change silences: both writes need a `write` token. */
  readonly access: () => AccessPolicy;
}

/** A refused silence as a 400 problem whose `field` extension names the bad input. */
function refused(err: SilenceError): ProblemError {
  return new ProblemError(
    { status: 400, detail: err.message, extensions: { field: err.field } },
    { cause: err },
  );
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (err) {
    throw new ProblemError(
      { status: 400, detail: 'the body must be a JSON silence', extensions: { field: 'body' } },
      { cause: err },
    );
  }
}

/**
 * The silence routes. `POST` answers 201 with the stored silence; `DELETE` expires one (it stays
 * listed as `expired`, as in Alertmanager) and answers with it.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/silences', createSilenceRoutes({ silences, access }));
 * ```
 */
export function createSilenceRoutes(options: SilenceRoutesOptions) {
  const { silences } = options;
  const write = requireScope('write', options.access);
  const unknown = (id: string) => `no silence with id ${JSON.stringify(id)}`;
  return new Hono<{ Variables: AuthVariables }>()
    .get('/', describeRoute(alertDocs.silences), (c) => c.json(silences.list()))
    .get('/:id', describeRoute(alertDocs.silence), (c) => {
      const found = silences.get(c.req.param('id'));
      return found
        ? c.json(found)
        : problem(c, { status: 404, detail: unknown(c.req.param('id')) });
    })
    .post('/', describeRoute(alertDocs.addSilence), write, async (c) => {
      try {
        return c.json(silences.add(parseSilenceBody(await readJson(c.req.raw))), 201);
      } catch (err) {
        throw err instanceof SilenceError ? refused(err) : err;
      }
    })
    .delete('/:id', describeRoute(alertDocs.expireSilence), write, (c) => {
      const expired = silences.expire(c.req.param('id'));
      return expired
        ? c.json(expired)
        : problem(c, { status: 404, detail: unknown(c.req.param('id')) });
    });
}

/** The silence routes' type, for typed clients. */
export type SilenceRoutes = ReturnType<typeof createSilenceRoutes>;
