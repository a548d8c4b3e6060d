/** Every route's real answers, success and error, match the OpenAPI document's schema for that path, method and status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_APPROVER_TOKEN,
  API_READ_TOKEN,
  API_WRITE_TOKEN,
  type ApiServer,
  apiPolicy,
  startApiServer,
} from '#test-support/api-server.js';
import {
  createKpiAppFixture,
  ERROR_RATE_QUERY,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';
import {
  OPENAPI_METHODS,
  type OpenApiDoc,
  openApiContract,
} from '#test-support/openapi-contract.js';
import { readSseEvents } from '#test-support/sse-events.js';
import { alertInfo, StubAlerting } from '#test-support/stub-alerting.js';
import { waitFor } from '#test-support/wait-for.js';

const read = { token: API_READ_TOKEN };
const write = { token: API_WRITE_TOKEN };

describe('real responses against /api/v1/openapi.json', () => {
  let api: ApiServer;
  let doc: OpenApiDoc;
  let contract: ReturnType<typeof openApiContract>;
  /** Fetches `path` and checks the answer against the document; returns the checked response. */
  const call = async (
    method: string,
    template: string,
    path: string,
    expected: number,
    init: RequestInit & { token?: string } = {},
  ) => {
    const res = await api.request(path, { ...init, method: method.toUpperCase() });
    const checked = await contract.check(res, method, template);
    expect(checked.status, `${method} ${path}`).toBe(expected);
    return checked;
  };

  beforeAll(async () => {
    api = await startApiServer();
    doc = (await (await api.request('/api/v1/openapi.json', read)).json()) as OpenApiDoc;
    contract = openApiContract(doc);
    await waitFor(() => api.handle.evaluator.reading('depth')?.value === 3, { timeoutMs: 15_000 });
  });
  afterAll(() => api.close());

  /** Validates one event's data against the schema the stream's `x-events` names for it. */
  function checkEvent(event: string, data: string) {
    const media = doc.paths['/api/v1/stream'].get.responses['200'].content?.['text/event-stream'];
    const events = (media as { 'x-events': Record<string, object> })['x-events'];
    expect(events, `event "${event}" is documented`).toHaveProperty([event]);
    contract.validate(`stream ${event}`, events[event], JSON.parse(data));
  }

  /**
   * The calls, in groups. Each group is a test of its own, and the coverage test at the end runs
   * any group that did not run before it (a filtered run), so every test passes alone and the
   * coverage is still counted over all of them.
   */
  const groups: Record<string, () => Promise<void>> = {
    'health, readiness and the server metrics': async () => {
      await call('get', '/healthz', '/healthz', 200);
      await call('get', '/readyz', '/readyz', 200);
      await call('get', '/metrics', '/metrics', 200, read);
      await call('get', '/metrics', '/metrics', 401);
      await call('get', '/api/v1/openapi.json', '/api/v1/openapi.json', 200, read);
      await call('get', '/api/v1/openapi.json', '/api/v1/openapi.json', 401);
      await call('get', '/embed.js', '/embed.js', 200);
      const etag = (await api.request('/embed.js')).headers.get('etag') ?? '';
      await call('get', '/embed.js', '/embed.js', 304, { headers: { 'if-none-match': etag } });
      const entry = await (await api.request('/embed.js')).text();
      const part = /import\(`\.\/(embed\/[\w-]+\.js)`\)/.exec(entry)?.[1];
      await call('get', '/embed/{file}', `/${part}`, 200);
      await call('get', '/embed/{file}', '/embed/no-such-part.js', 404);
      await call('get', '/embed.js', '/embed.js', 406, { headers: { 'accept-encoding': '*;q=0' } });
    },
    'the export feeds': async () => {
      for (const feed of ['/api/v1/export/samples', '/api/v1/export/kpis']) {
        await call('get', feed, feed, 200, read);
        await call('get', feed, `${feed}?since=yesterday`, 400, read);
        await call('get', feed, feed, 401);
      }
    },
    'KPI readings and history': async () => {
      // A round on a loaded machine may have missed a scrape since the set-up saw the value.
      await waitFor(() => api.handle.evaluator.reading('depth')?.value === 3, {
        timeoutMs: 15_000,
      });
      const list = await call('get', '/api/v1/kpis', '/api/v1/kpis', 200, read);
      expect(list.body).toMatchObject([{ id: 'depth', value: 3, status: 'ok' }]);
      await call('get', '/api/v1/kpis', '/api/v1/kpis', 401);
      await call('get', '/api/v1/kpis', '/api/v1/kpis', 401, { token: 'not-a-token' });
      await call('get', '/api/v1/kpis/{id}', '/api/v1/kpis/depth', 200, read);
      await call('get', '/api/v1/kpis/{id}', '/api/v1/kpis/no-such-kpi', 404, read);
      const history = '/api/v1/kpis/{id}/history';
      const h = await call('get', history, '/api/v1/kpis/depth/history?step=1s', 200, read);
      expect((h.body as { t: number[] }).t.length).toBeGreaterThan(0);
      await call('get', history, '/api/v1/kpis/depth/history?step=soon', 400, read);
      await call(
        'get',
        history,
        '/api/v1/kpis/depth/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
        400,
        read,
      );
      await call('get', history, '/api/v1/kpis/no-such-kpi/history', 404, read);
      const budget = '/api/v1/kpis/{id}/budget';
      const burn = await call('get', budget, '/api/v1/kpis/depth/budget', 200, read);
      expect(burn.body).toMatchObject({ id: 'depth', objective: 0.99, window: '30d' });
      await call('get', budget, '/api/v1/kpis/no-such-kpi/budget', 404, read);
      await call('get', budget, '/api/v1/kpis/depth/budget', 401);
    },
    targets: async () => {
      const targets = await call('get', '/api/v1/targets', '/api/v1/targets', 200, read);
      expect(targets.body).toMatchObject([{ url: api.targetUrl, health: 'up' }]);
      await call('get', '/api/v1/targets', '/api/v1/targets', 401);
    },
    'the policy: read, versions, and every answer to a change': async () => {
      await call('get', '/api/v1/policy', '/api/v1/policy', 200, read);
      const yaml = await call('get', '/api/v1/policy', '/api/v1/policy', 200, {
        ...read,
        headers: { accept: 'application/yaml' },
      });
      expect(yaml.mediaType).toBe('application/yaml');
      await call('get', '/api/v1/policy', '/api/v1/policy', 401);
      await call('get', '/api/v1/policy/versions', '/api/v1/policy/versions', 200, read);
      await call('get', '/api/v1/policy/versions', '/api/v1/policy/versions', 401);

      const body = apiPolicy(api.targetUrl, 12);
      const etag = async () =>
        (await api.request('/api/v1/policy', read)).headers.get('etag') ?? '';
      const change = (headers: Record<string, string>, init: RequestInit = {}) => ({
        ...write,
        ...init,
        headers: { 'x-policy-reason': 'contract test', ...headers },
      });
      await call('put', '/api/v1/policy', '/api/v1/policy', 401, { body });
      await call('put', '/api/v1/policy', '/api/v1/policy', 403, { ...read, body });
      await call('put', '/api/v1/policy', '/api/v1/policy', 428, change({}, { body }));
      await call(
        'put',
        '/api/v1/policy',
        '/api/v1/policy',
        409,
        change({ 'if-match': '"0"' }, { body }),
      );
      const refused = await call(
        'put',
        '/api/v1/policy',
        '/api/v1/policy',
        400,
        change({ 'if-match': await etag() }, { body: 'kpis: [{ id: 1 }]\n' }),
      );
      expect((refused.body as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
      const accepted = await call(
        'put',
        '/api/v1/policy',
        '/api/v1/policy',
        200,
        change({ 'if-match': await etag() }, { body }),
      );
      expect(accepted.body).toMatchObject({
        version: 2,
        author: 'deploy',
        reason: 'contract test',
      });
    },
    'policy governance: versions, in force, rollback, audit, proposals, reload': async () => {
      const etag = async () =>
        (await api.request('/api/v1/policy', read)).headers.get('etag') ?? '';
      const writer = (token: string, headers: Record<string, string> = {}) => ({
        token,
        headers: { 'x-policy-reason': 'contract test', ...headers },
      });
      const one = '/api/v1/policy/versions/{n}';
      await call('get', one, '/api/v1/policy/versions/1', 200, read);
      await call('get', one, '/api/v1/policy/versions/999', 404, read);
      const inForce = '/api/v1/policy/in-force';
      await call('get', inForce, `${inForce}?at=${new Date().toISOString()}`, 200, read);
      await call('get', inForce, `${inForce}?at=yesterday`, 400, read);

      const rollback = '/api/v1/policy/rollback';
      await call('post', rollback, `${rollback}?version=1`, 428, writer(API_WRITE_TOKEN));
      await call('post', rollback, `${rollback}?version=1`, 200, {
        method: 'POST',
        ...writer(API_WRITE_TOKEN, { 'if-match': await etag() }),
      });

      const audit = '/api/v1/policy/audit';
      await call('get', audit, audit, 200, write);
      await call('get', audit, audit, 403, read);

      const proposals = '/api/v1/policy/proposals';
      const proposed = await call('post', proposals, `${proposals}?rollback=1`, 201, {
        ...writer(API_WRITE_TOKEN, { 'if-match': await etag() }),
      });
      const id = (proposed.body as { id: number }).id;
      await call('post', proposals, proposals, 403, { ...read, body: 'kpis: []\n' });
      await call('get', proposals, proposals, 200, write);
      await call('get', proposals, proposals, 401);
      const proposal = '/api/v1/policy/proposals/{id}';
      await call('get', proposal, `${proposals}/${id}`, 200, write);
      await call('get', proposal, `${proposals}/999`, 404, write);
      const approve = '/api/v1/policy/proposals/{id}/approve';
      await call('post', approve, `${proposals}/${id}/approve`, 403, writer(API_WRITE_TOKEN));
      await call('post', approve, `${proposals}/${id}/approve`, 200, writer(API_APPROVER_TOKEN));

      await call('post', '/-/reload', '/-/reload', 200, writer(API_WRITE_TOKEN));
      await call('post', '/-/reload', '/-/reload', 401);
    },
    'alerts and silences': async () => {
      await call('get', '/api/v1/alerts', '/api/v1/alerts', 200, read);
      await call('get', '/api/v1/alerts', '/api/v1/alerts', 401);
      await call('get', '/api/v1/alerts/{id}', '/api/v1/alerts/0123456789abcdef', 404, read);
      await call('get', '/api/v1/alerts/{id}', '/api/v1/alerts/0123456789abcdef', 401);
      const silences = '/api/v1/silences';
      const json = (value: unknown) => ({
        ...write,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      });
      const added = await call(
        'post',
        silences,
        silences,
        201,
        json({
          matchers: [{ name: 'alertname', value: 'DepthHigh', isRegex: false }],
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          createdBy: 'contract test',
          comment: 'maintenance',
        }),
      );
      await call('post', silences, silences, 400, json({ matchers: [] }));
      await call('get', silences, silences, 200, read);
      await call('get', silences, silences, 401);
      const one = '/api/v1/silences/{id}';
      const id = (added.body as { id: string }).id;
      await call('get', one, `${silences}/${id}`, 200, read);
      await call('get', one, `${silences}/no-such-silence`, 404, read);
      await call('delete', one, `${silences}/${id}`, 200, write);
      await call('delete', one, `${silences}/no-such-silence`, 404, write);
    },
    "Prometheus's query API, by GET and by form POST": async () => {
      const at = Math.floor(Date.now() / 1000);
      const q = encodeURIComponent('sum(queue_depth)');
      const form = (fields: Record<string, string>) => ({
        ...read,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      await call('get', '/api/v1/query', `/api/v1/query?query=${q}&time=${at}`, 200, read);
      await call('get', '/api/v1/query', '/api/v1/query?query=sum(', 400, read);
      await call('get', '/api/v1/query', `/api/v1/query?query=${q}`, 401);
      await call(
        'post',
        '/api/v1/query',
        '/api/v1/query',
        200,
        form({ query: 'sum(queue_depth)' }),
      );
      await call('post', '/api/v1/query', '/api/v1/query', 400, form({ query: 'sum(' }));
      const range = `/api/v1/query_range?query=${q}&start=${at - 60}&end=${at}&step=15`;
      const r = await call('get', '/api/v1/query_range', range, 200, read);
      expect(r.body).toMatchObject({ status: 'success', data: { resultType: 'matrix' } });
      await call('get', '/api/v1/query_range', `/api/v1/query_range?query=${q}`, 400, read);
      await call(
        'post',
        '/api/v1/query_range',
        '/api/v1/query_range',
        200,
        form({ query: 'sum(queue_depth)', start: String(at - 60), end: String(at), step: '15' }),
      );
      await call(
        'post',
        '/api/v1/query_range',
        '/api/v1/query_range',
        400,
        form({ query: 'sum(queue_depth)', start: String(at), end: String(at - 60), step: '15' }),
      );
    },
    'the stream: its media type, and each event against its schema in x-events': async () => {
      await call('get', '/api/v1/stream', '/api/v1/stream', 401);
      const ac = new AbortController();
      const res = await api.request('/api/v1/stream', { ...read, signal: ac.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const [snapshot] = await readSseEvents(res, (got) => got.length >= 1);
      ac.abort();
      checkEvent(snapshot.event, snapshot.data);
      contract.seen.add('GET /api/v1/stream 200');
    },
    'one alert by id, where a forwarded alert links to': async () => {
      const alerting = new StubAlerting();
      alerting.alerts = [alertInfo({ id: '0123456789abcdef' })];
      const f = createKpiAppFixture({ alerting });
      try {
        const res = await f.request('/api/v1/alerts/0123456789abcdef');
        expect((await contract.check(res, 'get', '/api/v1/alerts/{id}')).status).toBe(200);
      } finally {
        await f.close();
      }
    },
    'answers the in-process app cannot give over the network: 503 before evaluation, all stream events':
      async () => {
        // Nothing runs in the fixture until told, so a KPI not yet evaluated and an unready server stay so.
        const f = createKpiAppFixture({ heartbeatMs: 20 });
        try {
          const local = async (template: string, path: string, expected: number) => {
            const checked = await contract.check(await f.request(path), 'get', template);
            expect(checked.status, path).toBe(expected);
          };
          await local('/api/v1/kpis/{id}', '/api/v1/kpis/error-rate', 503);
          await local('/readyz', '/readyz', 503);
          // In-process: over HTTP the server closes the connection after refusing a large body, and
          // the client's next request on that kept-alive connection fails.
          const tooLarge = await f.request('/api/v1/policy', {
            method: 'PUT',
            token: WRITE_TOKEN,
            body: `# ${'x'.repeat(1024 * 1024)}\n`,
          });
          expect((await contract.check(tooLarge, 'put', '/api/v1/policy')).status).toBe(413);

          const res = await f.request('/api/v1/stream');
          f.source.values.set(ERROR_RATE_QUERY, 0.02);
          const evaluated = f.evaluator.evaluate(Date.now());
          const events = await readSseEvents(res, (got) =>
            ['snapshot', 'kpi', 'heartbeat'].every((name) => got.some((e) => e.event === name)),
          );
          await evaluated;
          for (const e of events) checkEvent(e.event, e.data);
        } finally {
          await f.close();
        }
      },
  };
  const ran = new Set<string>();
  for (const [name, group] of Object.entries(groups)) {
    it(name, async () => {
      await group();
      ran.add(name);
    });
  }

  it('every documented operation was called, with a success and an error', async () => {
    for (const [name, group] of Object.entries(groups)) if (!ran.has(name)) await group();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item).filter((m) => OPENAPI_METHODS.includes(m))) {
        const op = `${method.toUpperCase()} ${path}`;
        const statuses = [...contract.seen].filter((s) => s.startsWith(`${op} `));
        expect(
          statuses.some((s) => / 2\d\d$/.test(s)),
          `${op} succeeded`,
        ).toBe(true);
        const documentsErrors = Object.keys(item[method].responses).some((s) => s >= '400');
        if (documentsErrors) {
          expect(
            statuses.some((s) => / [45]\d\d$/.test(s)),
            `${op} failed`,
          ).toBe(true);
        }
      }
    }
  });
});
