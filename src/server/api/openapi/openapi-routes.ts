/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the API, generated from the routes' own descriptions. */
import { type Env, Hono, type Schema } from 'hono';
import { describeRoute, generateSpecs } from 'hono-openapi';
import { streamEventSchemas } from '../schemas/stream-events.js';
import { outputSchema } from './responses.js';
import { serverDocs } from './route-docs.js';

/** The generated document. */
export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;

const DESCRIPTION = `Traffic-light KPIs for public online services: current readings, history, scrape health,
a live stream, the policy, and Prometheus's query API. Reading is public or needs a bearer token
with the \`read\` scope, by policy (\`auth.read\`); changing the policy needs the \`write\` scope.
Errors of our own routes are RFC 9457 problem details; the Prometheus routes answer in Prometheus's envelope.`;

/**
 * Generates the document from every route of `app` that carries a `describeRoute` spec, plus
 * the stream's event payloads as component schemas.
 *
 * @example
 * ```ts
 * const doc = await buildOpenApiDocument(server.app);
 * doc.paths['/api/v1/kpis']?.get?.responses;
 * ```
 */
export async function buildOpenApiDocument<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
): Promise<OpenApiDocument> {
  const doc = await generateSpecs(app, {
    documentation: {
      info: { title: 'kpi-lights API', version: '1', description: DESCRIPTION },
      tags: [
        { name: 'kpis', description: 'Current readings and history' },
        { name: 'targets', description: 'Scrape health' },
        { name: 'stream', description: 'Live readings' },
        { name: 'policy', description: 'The policy and its versions' },
        { name: 'prometheus', description: "Prometheus's query API, for Grafana and tools" },
        { name: 'server', description: 'Probes, telemetry and this document' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A token from the policy (`auth.tokens`). Requirements name the scope needed: `read` (also granted by `write`) or `write`.',
          },
        },
      },
    },
    // `openapi.json` is a route, not a static file.
    excludeStaticFile: false,
    // Prometheus's API under its prefix is Prometheus's, documented by Prometheus; this
    // document describes kpi-lights's own API (with the two query routes kept at /api/v1).
    exclude: [/^\/prometheus(\/|$)/, /^\/federate$/],
    // The routes validate by their own parsing and answer problem details, described per route.
    defaultValidationErrorResponse: false,
  });
  for (const schema of Object.values(streamEventSchemas)) {
    const { components } = await outputSchema(schema).toOpenAPISchema();
    doc.components.schemas = { ...components?.schemas, ...doc.components.schemas };
  }
  return doc;
}

/** Options of {@link createOpenApiRoutes}. */
export interface OpenApiRoutesOptions<E extends Env, S extends Schema, P extends string> {
  /** The whole app, read at the first request (when every route is mounted). */
  readonly app: () => Hono<E, S, P>;
}

/**
 * The document's route. It is generated once, at the first request, and then served as is.
 *
 * @example
 * ```ts
 * v1.route('/openapi.json', createOpenApiRoutes({ app: () => app }));
 * ```
 */
export function createOpenApiRoutes<E extends Env, S extends Schema, P extends string>(
  options: OpenApiRoutesOptions<E, S, P>,
) {
  let text: Promise<string> | undefined;
  const built = () =>
    (text ??= buildOpenApiDocument(options.app()).then(
      (doc) => JSON.stringify(doc),
      (err: unknown) => {
        // A failed build is tried again on the next request rather than remembered.
        text = undefined;
        throw err;
      },
    ));
  return new Hono().get('/', describeRoute(serverDocs.openapi), async (c) =>
    c.body(await built(), 200, { 'content-type': 'application/json' }),
  );
}
