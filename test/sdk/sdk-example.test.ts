/** The README's SDK example runs against a real server, and the README shows exactly that code. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = join(root, 'demo', 'sdk-example.ts');
let dir: string;
let target: LocalServer;
let server: ServerHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-sdk-example-'));
  target = await serveLocal(
    new Hono().get('/metrics', (c) =>
      c.text('# TYPE request_seconds gauge\nrequest_seconds 0.2\n'),
    ),
  );
  const configPath = join(dir, 'kpi-lights.yaml');
  writeFileSync(
    configPath,
    `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${target.url}/metrics
kpis:
  - id: efile-latency
    title: E-file average latency
    query: sum(request_seconds)
    unit: seconds
    thresholds: { warning: 0.5, critical: 1.5 }
evaluation: { interval: 1s }
`,
  );
  server = await startServer({
    configPath,
    port: 0,
    dataDir: join(dir, 'data'),
    processMetrics: false,
    report: () => {},
  });
  await waitFor(() => server.evaluator.reading('efile-latency')?.value === 0.2);
});

afterAll(async () => {
  await server?.close();
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runExample(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', example], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    const kill = setTimeout(() => child.kill(), 30_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, out });
    });
  });
}

describe('the SDK example', () => {
  it('runs against a real server', async () => {
    const { code, out } = await runExample({ KPI_LIGHTS_URL: server.url });
    expect(code, out).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'E-file average latency: 0.2 (ok, policy v1)',
      'fresh enough to act on',
      '404: no KPI with id "no-such-kpi"',
      'snapshot of 1 KPI(s)',
    ]);
    expect(lines.slice(4)).toEqual(Array(3).fill('efile-latency = 0.2 ok'));
  }, 40_000);

  it('is the code the README shows', () => {
    const code = readFileSync(example, 'utf8')
      .split('\n')
      .slice(1) // the module comment
      .join('\n')
      .replace("'../src/sdk/index.js'", "'kpi-lights/sdk'")
      .trim();
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(code);
  });
});
