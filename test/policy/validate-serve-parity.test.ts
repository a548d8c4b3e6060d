/**
 * `validate` means `serve` will accept it: every refusal the server can make of a policy's
 * targets is made by `validate` too, with the same words at the same place, and by a `PUT`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKpiAppFixture, WRITE_TOKEN } from '#test-support/kpi-app-fixture.js';
import { main } from '../../src/server/cli/cli.js';
import { bufferIo } from '../../src/server/cli/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'kpi-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KPIS = `kpis:
  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: 1, critical: 0.5 } }
`;

/** Each refusal the scraper makes of a target, as a policy and the issue it must give. */
const REFUSALS: readonly (readonly [string, string, string])[] = [
  [
    'a scheme other than http',
    'url: ftp://127.0.0.1/metrics',
    'targets[0].url: "ftp://127.0.0.1/metrics" must use http: or https:',
  ],
  [
    'credentials in the URL',
    'url: http://user:pw@127.0.0.1:9/metrics',
    'targets[0].url: must not carry credentials',
  ],
  ['not a URL', 'url: "not a url"', 'targets[0].url: "not a url" is not a URL'],
  [
    'an instance label',
    'url: http://127.0.0.1:9/metrics\n    labels: { instance: a }',
    `targets[0].labels.instance: "instance" is reserved: it is the target's host:port, from its url`,
  ],
  [
    'a job label',
    'url: http://127.0.0.1:9/metrics\n    labels: { job: a }',
    `targets[0].labels.job: "job" is reserved: set it with the target's job field instead`,
  ],
  [
    'a __ label',
    'url: http://127.0.0.1:9/metrics\n    labels: { __x: a }',
    'targets[0].labels.__x: label names starting with __ are reserved',
  ],
  [
    'a timeout past the interval',
    'url: http://127.0.0.1:9/metrics\n    interval: 5s\n    timeout: 6s',
    'targets[0].timeout: timeout 6s is longer than interval 5s',
  ],
];

function write(name: string, target: string): string {
  const file = join(dir, `${name.replaceAll(' ', '-')}.yaml`);
  writeFileSync(file, `targets:\n  - ${target}\n${KPIS}`);
  return file;
}

async function run(args: string[]) {
  const io = bufferIo();
  const code = await main(args, io);
  return { code, stderr: io.stderr };
}

describe('validate refuses what serve and PUT refuse', () => {
  it.each(REFUSALS)('%s', async (name, target, issue) => {
    const file = write(name, target);
    const validate = await run(['validate', '-c', file]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain(issue);

    const serve = await run(['serve', '-c', file, '--port', '0', '--data-dir', join(dir, 'data')]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(issue);
    expect(serve.stderr).toContain('not started');

    const f = createKpiAppFixture();
    try {
      const etag = (await f.request('/api/v1/policy')).headers.get('etag') ?? '';
      const res = await f.request('/api/v1/policy', {
        method: 'PUT',
        body: `targets:\n  - ${target}\n${KPIS}`,
        token: WRITE_TOKEN,
        headers: { 'x-policy-reason': 'parity', 'if-match': etag },
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { path: string; message: string }[] };
      expect(body.errors.map((e) => `${e.path}: ${e.message}`)).toContain(issue);
    } finally {
      await f.close();
    }
  });
});
