/** The packed tarball installed offline with no scripts: `npx kpi-lights serve` scrapes an exporter, the SDK reads it, the components load. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  folderBytes,
  installedPackages,
  installOffline,
  type Packed,
  sharedPack,
} from '#test-support/packed-install.js';
import { unsupportedNode } from '../../src/server/database/supported-node.js';

// Types and the browser bundle of the built package are checked by sdk-package.test.ts and
// components-package.test.ts; this file checks what only the real tarball can show.

let dir: string;
let app: string;
let packed: Packed;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-packed-'));
  packed = await sharedPack();
  app = join(dir, 'app');
  installOffline(packed.tarball, app);
}, 240_000);

afterAll(() => {
  // Each child leads its own process group: npx's shell and the server in it stop together.
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group has gone already.
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `command` in the app folder; resolves the first match of `ready` in its stdout. */
function start(command: string, args: string[], ready: RegExp) {
  const child = spawn(command, args, {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const matched = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = ready.exec(stdout);
      if (m) resolve(m[1]);
    });
    exited.then((code) =>
      reject(new Error(`${command} exited (${code}) before it was ready:\n${stdout}${stderr}`)),
    );
  });
  return { child, matched, exited, output: () => ({ stdout, stderr }) };
}

/** Runs a one-off script with the installed package, in the app folder. */
function node(script: string, args: string[] = []) {
  const file = join(app, `script-${children.length}-${Date.now()}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: app,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** npm may warn about the machine's own npmrc on stderr; that is not the command's output. */
const withoutNpmNoise = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '' && !/^npm (warn|notice)/.test(line))
    .join('\n');

describe('kpi-lights as users install it', () => {
  it('packs the build only, and installs with nothing to run or compile', () => {
    expect(packed.files).toContain('dist/server/cli/cli.js');
    expect(packed.files).toContain('dist/custom-elements.json');
    expect(packed.files).toContain('README.md');
    expect(packed.files.filter((f) => !f.startsWith('dist/'))).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'ARCHITECTURE.md']),
    );
    expect(packed.files.filter((f) => /\.test\.|\.fixture\.|^src\//.test(f))).toEqual([]);

    const installed = installedPackages(join(app, 'node_modules'));
    const scripted = installed.filter(({ path, manifest }) => {
      const s = manifest.scripts ?? {};
      return s.preinstall || s.install || s.postinstall || existsSync(join(path, 'binding.gyp'));
    });
    expect(scripted.map((p) => p.manifest.name)).toEqual([]);
    // The README quotes these figures; a new dependency shows up here first.
    const bytes = folderBytes(join(app, 'node_modules'));
    console.log(
      `installed: kpi-lights and ${installed.length - 1} packages, ${(bytes / 1e6).toFixed(1)} MB of files`,
    );
    expect(installed.length).toBeLessThanOrEqual(40);
    expect(bytes).toBeLessThan(30e6);
  });

  it('serves with `npx kpi-lights serve`: an exporter scraped, its KPI read through the SDK', async () => {
    const exporter = start(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createExporter } from 'kpi-lights/exporter';
const exporter = createExporter({ constLabels: { service: 'efile' } });
const app = new Hono();
app.use(exporter.middleware);
app.get('/metrics', exporter.handler);
app.post('/filings', (c) => c.json({ id: 1 }, 201));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log('exporter on ' + info.port));`,
      ],
      /exporter on (\d+)/,
    );
    const port = await exporter.matched;
    writeFileSync(
      join(app, 'kpi-lights.yaml'),
      `scrape: { interval: 1s, timeout: 1s }
evaluation: { interval: 1s }
targets:
  - url: http://127.0.0.1:${port}/metrics
    labels: { service: efile }
kpis:
  - id: efile-filings
    title: E-file filings
    query: sum(http_requests_total{service="efile", route="/filings"})
    unit: count
    direction: lower-is-worse
    thresholds: { warning: 0.5, critical: 0 }
`,
    );
    const server = start(
      'npx',
      ['kpi-lights', 'serve', '-c', 'kpi-lights.yaml', '--port', '0', '--data-dir', 'data'],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const url = await server.matched;
    // The SDK from the tarball waits for the reading the server makes of the exporter's count.
    const client = node(
      `import { createClient } from 'kpi-lights/sdk';
const [url, exporterPort] = process.argv.slice(2);
await fetch('http://127.0.0.1:' + exporterPort + '/filings', { method: 'POST' });
const client = createClient({ baseUrl: url });
const signal = AbortSignal.timeout(20_000);
for await (const event of client.watch({ kpis: ['efile-filings'], signal })) {
  const readings = event.type === 'snapshot' ? event.data.kpis : event.type === 'kpi' ? [event.data] : [];
  const done = readings.find((r) => r.id === 'efile-filings' && r.value === 1);
  if (done) {
    console.log(JSON.stringify({ id: done.id, value: done.value, status: done.status }));
    break;
  }
}
const health = await fetch(url + '/healthz');
console.log(health.status);`,
      [url, port],
    );
    expect(client.stderr).toBe('');
    expect(client.code).toBe(0);
    expect(client.stdout.trim().split('\n')).toEqual([
      JSON.stringify({ id: 'efile-filings', value: 1, status: 'ok' }),
      '200',
    ]);

    process.kill(-server.child.pid!, 'SIGTERM');
    await server.exited;
    const { stdout, stderr } = server.output();
    expect(stdout).toContain('kpi-lights: SIGTERM, shutting down');
    // No warning of any kind, ExperimentalWarning included, on any supported Node.
    expect(withoutNpmNoise(stderr)).toBe('');
    process.kill(-exporter.child.pid!, 'SIGTERM');
    await exporter.exited;
  }, 60_000);

  it('imports kpi-lights/components in Node and registers the elements', () => {
    const run =
      node(`import { AlertList, KpiBoard, KpiLight, LatencyChart, configure } from 'kpi-lights/components';
console.log(JSON.stringify({
  light: customElements.get('kpi-light') === KpiLight,
  chart: customElements.get('latency-chart') === LatencyChart,
  board: customElements.get('kpi-board') === KpiBoard,
  alerts: customElements.get('alert-list') === AlertList,
  configure: typeof configure,
}));`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      light: true,
      chart: true,
      board: true,
      alerts: true,
      configure: 'function',
    });
  });

  const oldNode = [process.env.KPI_LIGHTS_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node'].find(
    (path) => {
      if (path === undefined || !existsSync(path)) return false;
      const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
      return unsupportedNode(version) !== undefined;
    },
  );
  if (oldNode === undefined) {
    console.log('notice: no Node older than 22.16 on this machine; the refusal on one is not run');
  }
  it.skipIf(oldNode === undefined)(
    'refuses to serve on an unsupported Node, saying which it needs',
    () => {
      const version = spawnSync(oldNode!, ['--version'], { encoding: 'utf8' }).stdout.trim();
      const run = spawnSync(
        oldNode!,
        [
          'node_modules/kpi-lights/dist/server/cli/cli.js',
          'serve',
          '-c',
          'kpi-lights.yaml',
          '--port',
          '0',
        ],
        { cwd: app, encoding: 'utf8', timeout: 30_000 },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`${unsupportedNode(version)}\n`);
    },
  );
});
