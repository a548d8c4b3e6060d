import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_ORIGIN,
  createKpiAppFixture,
  ERROR_RATE_QUERY,
  type KpiAppFixture,
  policyText,
  READ_TOKEN,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';
import type { KpiReading, PolicyVersionInfo, ProblemDetails } from '../../../sdk/types.js';
import { redactPolicy } from '../../policy/redact-policy.js';

let f: KpiAppFixture;
beforeEach(() => {
  f = createKpiAppFixture();
});
afterEach(() => f.close());

/** The ETag of the policy in force, as a writer reads it before changing. */
const etag = async () => (await f.request('/api/v1/policy')).headers.get('etag') ?? '';

/** A PUT with a reason and the current ETag unless the test gives its own. */
const put = async (body: string, token?: string, headers: Record<string, string> = {}) =>
  f.request('/api/v1/policy', {
    method: 'PUT',
    body,
    token,
    headers: { 'x-policy-reason': 'test', 'if-match': await etag(), ...headers },
  });

describe('GET /api/v1/policy', () => {
  it('answers the running text with its secrets hidden, and the version', async () => {
    const res = await f.request('/api/v1/policy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as PolicyVersionInfo & { text: string };
    expect(body).toMatchObject({ version: 1, author: 'test', reason: 'fixture' });
    // The public hash folds a keyed digest of the secrets into the redacted text's: neither
    // hash can be computed by a reader, so it confirms no guessed token offline.
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(body.hash).not.toBe(sha(body.text));
    expect(body.hash).not.toBe(sha(policyText()));
    expect(body.text).toContain('- { name: deploy, token: "<redacted>", scopes: [read, write] }');
    expect(body.text).not.toContain(WRITE_TOKEN);
    expect(body.text).not.toContain(READ_TOKEN);
  });

  it('answers YAML when asked', async () => {
    const res = await f.request('/api/v1/policy', { headers: { accept: 'application/yaml' } });
    expect(res.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(res.headers.get('x-policy-version')).toBe('1');
    const text = await res.text();
    expect(text).toMatch(/^scrape: \{ interval: 15s/);
    expect(res.headers.get('etag')).toBe(await etag());
  });
});

describe('PUT /api/v1/policy', () => {
  it('refuses a request without a token: 401 with WWW-Authenticate', async () => {
    const res = await put(policyText({ errorWarning: 0.02 }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kpi-lights"');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'this request needs a bearer token with the "write" scope',
    });
  });

  it('refuses an unknown token with 401 and a read-only token with 403', async () => {
    const bad = await put(policyText(), 'not-a-known-token-at-all');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="kpi-lights"');
    const readOnly = await put(policyText(), READ_TOKEN);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as ProblemDetails).detail).toBe(
      'token "dashboard" lacks the "write" scope',
    );
    expect((await (await f.request('/api/v1/policy/versions')).json()) as unknown[]).toHaveLength(
      1,
    );
  });

  it('refuses bad YAML with every issue, changes nothing, and audits the attempt', async () => {
    const text = readFileSync('test/fixtures/policies/bad-types.yaml', 'utf8');
    const res = await put(text, WRITE_TOKEN);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as ProblemDetails;
    expect(body.title).toBe('Policy refused');
    expect(body.detail).toBe('the policy has 9 problems; nothing was changed');
    expect(body.errors?.[0]).toEqual({
      file: 'kpi-lights.yaml',
      line: 2,
      column: 30,
      path: 'scrape.limits.body_size_limit',
      message: 'expected a size like 10MB or a whole number of bytes, got "lots"',
    });
    expect(body.errors?.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`)).toEqual([
      '2:30 scrape.limits.body_size_limit: expected a size like 10MB or a whole number of bytes, got "lots"',
      '2:50 scrape.limits.sample_limit: must not be negative',
      '4:3 targets: expected a list, got a mapping',
      '7:12 kpis[0].title: must not be empty',
      '9:11 kpis[0].unit: expected one of percent, ratio, seconds, milliseconds, count, per_second, bytes, got "percnt" (did you mean "percent"?)',
      '10:17 kpis[0].thresholds.critical: is required',
      '11:5 kpis[1]: expected a mapping, got "just a string"',
      '15:11 alerts[0].when: expected one of warning, critical, got "red"',
      '17:13 alerts[0].notify: expected a list, got "oncall"',
    ]);
    expect(f.server.current().version.version).toBe(1);
    expect(f.versions.audit(1)[0]).toMatchObject({ outcome: 'rejected', author: 'deploy' });
  });

  it('refuses text that is not YAML at all with its line and column', async () => {
    const res = await put('kpis: [\n', WRITE_TOKEN);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ProblemDetails;
    expect(body.errors?.[0]).toMatchObject({ file: 'kpi-lights.yaml', line: 2, column: 1 });
    expect(body.errors?.[0].message).toMatch(/^YAML syntax: /);
  });

  it('refuses a query the engine cannot type-check or run, at its line and column', async () => {
    const text = policyText()
      .replace('sum(rate(errors_total[1m]))', 'sum(rate(errors_total))')
      .replace('avg(up)', 'histogram_count(up)');
    const res = await put(text, WRITE_TOKEN);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ProblemDetails;
    expect(body.errors?.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [
        8,
        21,
        'kpis[0].query',
        'PromQL type error: expected type range vector in call to function "rate", got instant vector',
      ],
      [
        13,
        12,
        'kpis[1].query',
        'the embedded PromQL engine cannot run this query: not supported: histogram_count',
      ],
    ]);
    expect(f.server.current().version.version).toBe(1);
  });

  it('hot-reloads an accepted policy: new version, KPIs, tokens and CORS, history kept', async () => {
    f.source.values.set(ERROR_RATE_QUERY, 0.015);
    await f.evaluator.evaluate(1_764_000_000_000);
    expect(f.evaluator.reading('error-rate')?.status).toBe('warning');

    const next = policyText({ errorWarning: 0.02 })
      .replace(WRITE_TOKEN, 'a-brand-new-write-token-0123')
      .replace(ALLOWED_ORIGIN, 'https://new.example.gov')
      .replace('http://127.0.0.1:9/metrics', 'http://127.0.0.1:19/metrics');
    const res = await put(next, WRITE_TOKEN, { 'x-policy-reason': 'warn later' });
    expect(res.status).toBe(200);
    const version = (await res.json()) as PolicyVersionInfo;
    expect(version).toMatchObject({ version: 2, author: 'deploy', reason: 'warn later' });

    // KPIs: the next round uses the new threshold and names the new version.
    await f.evaluator.evaluate(1_764_000_015_000);
    const reading = (await (await f.request('/api/v1/kpis/error-rate')).json()) as KpiReading;
    expect([reading.status, reading.policyVersion]).toEqual(['ok', 2]);
    // History from before the change is still there.
    const h = f.history.query('error-rate', {
      from: 1_764_000_000_000,
      to: 1_764_000_015_000,
      stepMs: 15_000,
    });
    expect(h.status).toEqual(['warning', 'ok']);
    // Tokens: the old write token is gone, the new one works.
    expect((await put(next, WRITE_TOKEN)).status).toBe(401);
    expect((await put(next, 'a-brand-new-write-token-0123')).status).toBe(200);
    // Scrape targets follow the new list.
    const targets = (await (await f.request('/api/v1/targets')).json()) as { url: string }[];
    expect(targets.map((t) => t.url)).toEqual(['http://127.0.0.1:19/metrics']);
    // CORS follows the new allowlist.
    const cors = await f.request('/api/v1/kpis', { headers: { origin: ALLOWED_ORIGIN } });
    expect(cors.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await f.request('/api/v1/kpis', {
      headers: { origin: 'https://new.example.gov' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://new.example.gov');

    const versions = (await (
      await f.request('/api/v1/policy/versions')
    ).json()) as PolicyVersionInfo[];
    expect(versions.map((v) => [v.version, v.author])).toEqual([
      [1, 'test'],
      [2, 'deploy'],
    ]);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await put(`# ${'x'.repeat(1024 * 1024)}\n${policyText()}`, WRITE_TOKEN);
    expect(res.status).toBe(413);
  });
});

describe('redactPolicy', () => {
  it('hides SMTP passwords, webhook URLs and headers, keeping the layout', () => {
    const text = `receivers:
  oncall:
    email: { to: [a@example.gov], from: b@example.gov, smtp: "smtps://user:hunter2@mail.example.gov:465" }
  chat:
    webhook:
      url: https://hooks.example.com/services/T000/B000/XXXX
      headers: { Authorization: Bearer sekrit }
`;
    expect(redactPolicy(text)).toBe(`receivers:
  oncall:
    email: { to: [a@example.gov], from: b@example.gov, smtp: "smtps://user:<redacted>@mail.example.gov:465" }
  chat:
    webhook:
      url: "https://hooks.example.com/<redacted>"
      headers: { Authorization: "<redacted>" }
`);
  });
});
