/** Checks real responses against the OpenAPI document: status, media type and body, with ajv (JSON Schema 2020-12). */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The parts of an OpenAPI 3.1 document the check reads. */
export interface OpenApiDoc {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: Record<string, unknown>;
}

export interface OpenApiOperation {
  readonly responses: Record<string, { content?: Record<string, { schema?: object }> }>;
  readonly security?: readonly Record<string, readonly string[]>[];
}

/** The HTTP methods an OpenAPI path item can hold. */
export const OPENAPI_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/**
 * A Hono route path in OpenAPI's spelling.
 *
 * @example
 * ```ts
 * toOpenApiPath('/api/v1/kpis/:id'); // '/api/v1/kpis/{id}'
 * ```
 */
export const toOpenApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

/** What a checked response was. */
export interface CheckedResponse {
  readonly status: number;
  readonly mediaType: string;
  readonly body: unknown;
}

/**
 * A checker over one document: `check(res, 'get', '/api/v1/kpis/{id}')` fails unless the
 * status and media type are documented for that operation and the body matches its schema.
 *
 * @example
 * ```ts
 * const contract = openApiContract(doc);
 * await contract.check(await fetch(url), 'get', '/api/v1/kpis');
 * ```
 */
export function openApiContract(doc: OpenApiDoc) {
  // Formats are checked by zod's own patterns where it writes them; date-time also by Date.parse.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const compiled = new Map<string, ValidateFunction>();
  const seen = new Set<string>();

  /** A validator for a schema in the document, with its `#/components/...` refs resolvable. */
  function validatorFor(key: string, schema: object): ValidateFunction {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: doc.components });
      compiled.set(key, validate);
    }
    return validate;
  }

  function schemaOf(method: string, path: string, status: number, mediaType: string): object {
    const operation = doc.paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    const response = operation.responses[String(status)];
    if (!response) {
      throw new Error(`${method.toUpperCase()} ${path} does not document status ${status}`);
    }
    // A documented answer without content (304) carries no body to check.
    if (response.content === undefined && mediaType === '') return {};
    const media = response.content?.[mediaType];
    if (!media?.schema) {
      throw new Error(
        `${method.toUpperCase()} ${path} ${status} does not document ${mediaType} (has ${Object.keys(response.content ?? {}).join(', ')})`,
      );
    }
    return media.schema;
  }

  return {
    /** Every `METHOD path status` checked so far. */
    seen,
    /** Validates `value` against one of the document's schemas; its `#/components/...` refs resolve. */
    validate(key: string, schema: object, value: unknown): void {
      const validate = validatorFor(key, schema);
      if (!validate(value)) {
        throw new Error(`${key}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
      }
    },
    async check(res: Response, method: string, path: string): Promise<CheckedResponse> {
      const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
      const schema = schemaOf(method, path, res.status, mediaType);
      const text = await res.text();
      const body = /[/+]json$/.test(mediaType) ? JSON.parse(text) : text;
      this.validate(`${method} ${path} ${res.status} ${mediaType}`, schema, body);
      seen.add(`${method.toUpperCase()} ${path} ${res.status}`);
      return { status: res.status, mediaType, body };
    },
  };
}
