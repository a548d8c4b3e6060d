/** The OpenAPI document at /api/v1/openapi.json is valid OpenAPI 3.1 and describes every route the app serves. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_READ_TOKEN, type ApiServer, startApiServer } from '#test-support/api-server.js';
import { OPENAPI_METHODS, type OpenApiDoc, toOpenApiPath } from '#test-support/openapi-contract.js';

describe('GET /api/v1/openapi.json', () => {
  let api: ApiServer;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    api = await startApiServer();
    const res = await api.request('/api/v1/openapi.json', { token: API_READ_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as OpenApiDoc;
  });
  afterAll(() => api.close());

  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(doc) as unknown as Record<string, unknown>,
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Throws on a `$ref` that points nowhere.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('describes exactly the routes the app serves, so a new route without a description fails', () => {
    // Prometheus's API under its prefix (and its /federate) is Prometheus's, documented by
    // Prometheus and checked against a real one by the tests in test/prometheus-api/.
    const prometheus = /^\/(prometheus(\/|$)|federate$)/;
    const served = new Set(
      api.handle.app.app.routes
        .filter((r) => r.method !== 'ALL' && !prometheus.test(r.path))
        .map((r) => `${r.method} ${toOpenApiPath(r.path)}`),
    );
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => OPENAPI_METHODS.includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...described].sort()).toEqual([...served].sort());
    expect(served).toContain('GET /api/v1/openapi.json');
    expect(served).toContain('POST /api/v1/query_range');
  });

  /**
   * Routes that change state, and the governance reads whose refusals may quote secrets: a
   * `write` token. Prometheus's query API takes POST for long queries, and only reads.
   */
  const changes = (method: string, path: string) =>
    ((method === 'post' || method === 'delete') && !/\/query(_range)?$/.test(path)) ||
    path === '/api/v1/policy/audit' ||
    path.startsWith('/api/v1/policy/proposals');

  it('says which scope each route needs and answers problems where the guard can refuse', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.security, where).toBeDefined();
        const scopes = (op.security ?? []).flatMap((s) => s.bearerAuth ?? []);
        // Probes, and the public script with no data in it, need no token.
        if (path === '/healthz' || path === '/readyz' || path.startsWith('/embed')) {
          expect(op.security, where).toEqual([]);
        } else if (method === 'put') {
          expect(op.security, where).toEqual([{ bearerAuth: ['write'] }]);
          expect(Object.keys(op.responses), where).toEqual(
            expect.arrayContaining(['200', '400', '401', '403', '409', '413', '428']),
          );
        } else if (changes(method, path)) {
          expect(op.security, where).toEqual([{ bearerAuth: ['write'] }]);
          expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['401', '403']));
        } else {
          expect(scopes, where).toEqual(['read']);
          expect(op.responses['401']?.content, where).toHaveProperty(['application/problem+json']);
        }
      }
    }
  });

  it('lists the stream events with their payload schemas', () => {
    const media = doc.paths['/api/v1/stream'].get.responses['200'].content?.['text/event-stream'];
    const events = (media as { 'x-events'?: Record<string, { $ref: string }> })['x-events'];
    expect(Object.keys(events ?? {})).toEqual(['snapshot', 'kpi', 'alert', 'heartbeat']);
    const schemas = doc.components.schemas as Record<string, unknown>;
    for (const { $ref } of Object.values(events ?? {})) {
      expect(schemas).toHaveProperty([$ref.replace('#/components/schemas/', '')]);
    }
  });
});
