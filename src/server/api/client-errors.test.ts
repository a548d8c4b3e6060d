/** The audit of every route for client errors surfacing as 500: each hostile request gets a 4xx problem. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKpiAppFixture,
  type KpiAppFixture,
  WRITE_TOKEN,
} from '#test-support/kpi-app-fixture.js';

let f: KpiAppFixture;
beforeEach(async () => {
  f = createKpiAppFixture();
  write['if-match'] = (await f.request('/api/v1/policy')).headers.get('etag') ?? '';
});
afterEach(() => f.close());

// A reason and the fixture's ETag, so each body is refused for what it is and not for those.
const write = {
  authorization: `Bearer ${WRITE_TOKEN}`,
  'x-policy-reason': 'hostile body',
  // The fixture's ETag, read before each test (it folds in a digest keyed per database).
  'if-match': '',
};

/** `levels` anchors, each a list of ten aliases of the one before: 10^levels nodes once expanded. */
function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) {
    const aliases = Array.from({ length: 10 }, () => `*l${i - 1}`);
    lines.push(`l${i}: &l${i} [${aliases.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('client errors are 4xx problems, never 500', () => {
  it.each<[string, string, RequestInit, number]>([
    ['a KPI id that is not URL-encoded', '/api/v1/kpis/%ZZ', {}, 404],
    ['an unreadable history time', '/api/v1/kpis/error-rate/history?from=abc', {}, 400],
    ['an out-of-range history time', '/api/v1/kpis/error-rate/history?to=1e400', {}, 400],
    ['a history step of a nanosecond', '/api/v1/kpis/error-rate/history?step=1e-9', {}, 400],
    [
      'a policy that is not UTF-8',
      '/api/v1/policy',
      { method: 'PUT', headers: write, body: new Uint8Array([0xff, 0xfe, 0x00]) },
      400,
    ],
    ['an empty policy', '/api/v1/policy', { method: 'PUT', headers: write, body: '' }, 400],
    [
      'a YAML alias bomb',
      '/api/v1/policy',
      {
        method: 'PUT',
        headers: write,
        body: aliasBomb(10),
      },
      400,
    ],
    ['a method the route does not have', '/api/v1/policy', { method: 'DELETE' }, 404],
  ])('%s', async (_what, path, init, status) => {
    const res = await f.request(path, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { status: number }).status).toBe(status);
  });
});
