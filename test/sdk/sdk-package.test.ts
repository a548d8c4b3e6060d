/** `kpi-lights/sdk` as a user's project gets it: the package built, linked in, imported by name. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LinkedApp, linkedApp } from '#test-support/packed-install.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let linked: LinkedApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-sdk-package-'));
  // No node_modules beside the package: the SDK runs on the platform alone.
  linked = await linkedApp(dir, { withDependencies: false });
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
    const out = linked.run(['main.js']);
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
    const checked = linked.typecheck();
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
  });
});
