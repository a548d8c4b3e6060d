/** `kpi-lights/sdk` as a user's project gets it: the package built, linked in, imported by name. */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPack } from '#test-support/packed-install.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-sdk-package-'));
  const pkg = join(dir, 'kpi-lights');
  // A copy, not a link: Node would resolve imports from the built project, beside its modules.
  cpSync(join((await sharedPack()).project, 'dist'), join(pkg, 'dist'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2));
  // No node_modules beside the package: the SDK runs on the platform alone.
  const app = join(dir, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(app, 'node_modules', 'kpi-lights'));
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "type": "module", "private": true }');
}, 90_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built kpi-lights/sdk', () => {
  it('exports ./sdk from dist', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./sdk']).toEqual({
      types: './dist/sdk/index.d.ts',
      import: './dist/sdk/index.js',
    });
  });

  it('imports by name in Node and works', () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'main.js'),
      `import { createClient, isActionable, isStale, KpiLightsError, HttpError, NetworkError, TimeoutError, KPI_STATUSES } from 'kpi-lights/sdk';
const client = createClient({ baseUrl: 'http://127.0.0.1:9', retry: false, timeoutMs: 5000 });
const err = await client.kpis().catch((e) => e);
const r = { stale: false, staleAfter: new Date(Date.now() + 60000).toISOString(), status: 'ok' };
console.log(JSON.stringify({
  network: err instanceof NetworkError && err instanceof KpiLightsError,
  classes: [HttpError, TimeoutError].map((c) => c.name),
  actionable: isActionable(r), stale: isStale(r), statuses: KPI_STATUSES.length,
  watch: typeof client.watch({ signal: AbortSignal.abort() })[Symbol.asyncIterator],
}));
`,
    );
    const out = run(['main.js'], app);
    expect(out.code, out.out).toBe(0);
    expect(JSON.parse(out.out)).toEqual({
      network: true,
      classes: ['HttpError', 'TimeoutError'],
      actionable: true,
      stale: false,
      statuses: 4,
      watch: 'function',
    });
  });

  it('type-checks a user file against the declarations', () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'use.ts'),
      `import { createClient, isActionable, type KpiReading, type WatchEvent } from 'kpi-lights/sdk';
const client = createClient({ baseUrl: 'https://kpi.example.gov', token: 't' });
export async function worst(): Promise<KpiReading | undefined> {
  const all: KpiReading[] = await client.kpis();
  return all.find((r) => isActionable(r) && r.status === 'critical');
}
export function kind(e: WatchEvent): string {
  return e.type === 'disconnected' ? String(e.since) : e.type;
}
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const checked = run(['--', tsc, '-p', 'tsconfig.json'], app);
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
  });
});
