/** `kpi-lights/components` as a user's project gets it: the package built, linked in, bundled by name, run in Chromium. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '#test-support/chromium.js';
import { type LinkedApp, linkedApp } from '#test-support/packed-install.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let linked: LinkedApp;
let app: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-components-package-'));
  // The package's dependencies (lit, uplot) linked in, as an install would place them.
  linked = await linkedApp(dir, { withDependencies: true });
  app = linked.app;
}, 90_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built kpi-lights/components', () => {
  it('is exported from dist, with its element manifest', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./components']).toEqual({
      types: './dist/components/index.d.ts',
      // Node gets the DOM names the elements extend from Lit's shim first.
      node: './dist/components/node.js',
      import: './dist/components/index.js',
    });
    expect(manifest.exports['./custom-elements.json']).toBe('./dist/custom-elements.json');
  });

  it('type-checks a user file against the declarations, tag names included', () => {
    writeFileSync(
      join(app, 'use.ts'),
      `import { configure, KpiLight, type KpiStatusChangeDetail } from 'kpi-lights/components';
configure({ token: 'read-token' });
const light: KpiLight = document.createElement('kpi-light');
light.kpi = 'efile-error-rate';
light.compact = true;
document.createElement('latency-chart').range = '1h';
document.createElement('kpi-board').filter = 'efile-*';
light.addEventListener('kpi-status-change', (e) => {
  const detail: KpiStatusChangeDetail = e.detail;
  console.log(detail.status, detail.previous);
});
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const checked = linked.typecheck();
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
  });

  it.skipIf(chromiumPath() === undefined)(
    'bundles by name and registers the elements in a browser',
    async () => {
      writeFileSync(
        join(app, 'main.js'),
        `import { KpiBoard, KpiLight, LatencyChart, configure } from 'kpi-lights/components';
window.loaded = {
  light: customElements.get('kpi-light') === KpiLight,
  chart: customElements.get('latency-chart') === LatencyChart,
  board: customElements.get('kpi-board') === KpiBoard,
  configure: typeof configure,
};
`,
      );
      await build({
        configFile: false,
        root: app,
        logLevel: 'silent',
        build: {
          outDir: join(app, 'dist'),
          lib: { entry: join(app, 'main.js'), formats: ['es'], fileName: 'main' },
          // One file to put in the page: the components' lazily loaded request code inlined.
          rolldownOptions: { output: { inlineDynamicImports: true } },
        },
      });
      const code = readFileSync(join(app, 'dist', 'main.js'), 'utf8');
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.addScriptTag({ content: code, type: 'module' });
        const loaded = await page.waitForFunction(() => (window as { loaded?: object }).loaded);
        expect(await loaded.jsonValue()).toEqual({
          light: true,
          chart: true,
          board: true,
          configure: 'function',
        });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
