/** Bundle size: each browser entry built as a minified ES library (its dependencies inside), min and min+gzip against its goal. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { minifyLitCss } from '../vite-plugins/minify-lit-css.js';

/** One entry a browser loads, and the most it may weigh min+gzip. */
interface SizedEntry {
  readonly name: string;
  /** Relative to the project root. */
  readonly entry: string;
  /** Absent for a part weighed only to show where the bytes go. */
  readonly goalGzipBytes?: number;
}

/** Add an entry here to have it measured too. */
const ENTRIES: readonly SizedEntry[] = [
  { name: 'SDK (kpi-lights/sdk)', entry: 'src/sdk/index.ts', goalGzipBytes: 4 * 1024 },
  {
    name: '<kpi-light> alone, with Lit and the SDK client',
    entry: 'src/components/kpi-light/kpi-light.ts',
    goalGzipBytes: 10 * 1024,
  },
  {
    name: 'embed.js: every element, Lit, uPlot, the SDK client',
    entry: 'src/components/embed.ts',
    goalGzipBytes: 36 * 1024,
  },
  // The parts that no code of ours can shrink, for comparison.
  { name: 'part: uPlot alone', entry: 'node_modules/uplot/dist/uPlot.esm.js' },
  { name: 'part: Lit alone (all of lit)', entry: 'node_modules/lit/index.js' },
];

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds one entry into a temporary folder, as a user's bundler would, and weighs it. */
async function measure(entry: SizedEntry): Promise<{ min: number; gzip: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'kpi-size-'));
  try {
    await build({
      configFile: false,
      root,
      logLevel: 'silent',
      // As `vite.config.ts` builds `dist/embed.js`.
      plugins: [minifyLitCss()],
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        sourcemap: false,
        lib: { entry: join(root, entry.entry), formats: ['es'], fileName: 'entry' },
        // Vite leaves whitespace in ES library output (so annotations survive a user's bundler);
        // what ships to a browser is fully minified, so that is what is weighed.
        rolldownOptions: { output: { minify: true } },
      },
    });
    const files = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    const code = Buffer.concat(files.map((f) => readFileSync(join(outDir, f))));
    return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kB = (n: number) => `${(n / 1024).toFixed(2)} kB`;
let missed = 0;
for (const entry of ENTRIES) {
  const { min, gzip } = await measure(entry);
  const size = `${entry.name}: ${min} B min (${kB(min)}), ${gzip} B min+gzip (${kB(gzip)})`;
  if (entry.goalGzipBytes === undefined) {
    console.log(size);
    continue;
  }
  const met = gzip <= entry.goalGzipBytes;
  if (!met) missed++;
  console.log(`${size}; goal ≤ ${kB(entry.goalGzipBytes)} min+gzip — ${met ? 'met' : 'missed'}`);
}
process.exitCode = missed > 0 ? 1 : 0;
