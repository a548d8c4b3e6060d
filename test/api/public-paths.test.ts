/** A running server never shows readers where its policy file lives: versions and refused PUTs name it relatively. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyVersionInfo, ProblemDetails } from '../../src/sdk/types.js';
import { startServer } from '../../src/server/compose/start-server.js';

const WRITE_TOKEN = 'public-paths-write-token-0123';
const POLICY = `auth:
  read: public
  tokens:
    - { name: deploy, token: ${WRITE_TOKEN}, scopes: [write] }
kpis: []
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('public readers and the policy file path', () => {
  it('see "loaded from kpi-lights.yaml" and relative paths in a refused PUT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-paths-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'kpi-lights.yaml');
    writeFileSync(configPath, POLICY);
    const server = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      processMetrics: false,
    });
    cleanups.push(() => server.close());

    const versionsRes = await fetch(`${server.url}/api/v1/policy/versions`);
    const versionsText = await versionsRes.text();
    expect((JSON.parse(versionsText) as PolicyVersionInfo[])[0].reason).toBe(
      'loaded from kpi-lights.yaml',
    );
    expect(versionsText).not.toContain(dir);

    const put = await fetch(`${server.url}/api/v1/policy`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${WRITE_TOKEN}`,
        'x-policy-reason': 'add a field',
        'if-match': (await fetch(`${server.url}/api/v1/policy`)).headers.get('etag') ?? '',
      },
      body: `${POLICY}bogus: 1\n`,
    });
    expect(put.status).toBe(400);
    const putText = await put.text();
    expect(putText).not.toContain(dir);
    const problem = JSON.parse(putText) as ProblemDetails;
    expect(problem.errors?.map((e) => `${e.file}:${e.line}`)).toEqual(['kpi-lights.yaml:6']);
  });
});
