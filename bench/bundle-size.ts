/** Bundle size: what a page downloads from `/embed.js` (lights only, with a chart) in brotli and gzip, and each browser entry min+gzip, against their goals. */
import { build, type Rolldown } from 'vite';
import { minifyLitCss } from '../vite-plugins/minify-lit-css.js';
import { chunksOf, type Weight, weigh } from './bundle-weight.js';

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
    name: '<kpi-light> alone, with Lit and the stream client',
    entry: 'src/components/kpi-light/kpi-light.ts',
    goalGzipBytes: 10 * 1024,
  },
  // The parts that no code of ours can shrink, for comparison.
  { name: 'part: uPlot alone', entry: 'node_modules/uplot/dist/uPlot.esm.js' },
  { name: 'part: Lit alone (all of lit)', entry: 'node_modules/lit/index.js' },
];

/** Goals for what a page downloads, brotli, body bytes. */
const LIGHTS_PAGE_GOAL = 10 * 1024;
const CHART_PAGE_GOAL = 36 * 1024;

const root = new URL('..', import.meta.url).pathname;

/** An entry's chunk and every chunk it imports statically: what loading it costs. */
function loaded(chunks: readonly Rolldown.OutputChunk[], from: Rolldown.OutputChunk): string {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<string>();
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next) visit(next);
    }
  };
  visit(from);
  return [...seen].map((name) => byName.get(name)?.code ?? '').join('');
}

/** Builds one entry as a user's bundler would, in memory, and weighs what loading it costs. */
async function measure(entry: SizedEntry): Promise<Weight> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    // As `vite.config.ts` builds `dist/embed.js`.
    plugins: [minifyLitCss()],
    resolve: { conditions: ['module', 'browser', 'production'] },
    build: {
      write: false,
      minify: true,
      sourcemap: false,
      lib: { entry: `${root}${entry.entry}`, formats: ['es'], fileName: 'entry' },
      // Vite leaves whitespace in ES library output (so annotations survive a user's bundler);
      // what ships to a browser is fully minified, so that is what is weighed.
      rolldownOptions: { output: { minify: true, comments: { annotation: false } } },
    },
  });
  const chunks = chunksOf(result);
  const main = chunks.find((c) => c.isEntry);
  if (main === undefined) throw new Error(`${entry.entry}: no entry chunk`);
  // Parts it imports lazily (the request code, a light never loads) are not its cost.
  return weigh(loaded(chunks, main));
}

/** A kind of page, by the parts (chunk names) it fetches beside `/embed.js`. */
interface PageKind {
  readonly what: string;
  readonly parts: readonly string[];
  /** Brotli body bytes; absent for a part that only adds to a page. */
  readonly goal?: number;
}

/**
 * What each kind of page fetches. The chart's part brings the request code with its first
 * request; the announcer comes at the first status change, on any page. A part of the build that
 * no kind names is reported, so a new part cannot slip out of the figures.
 */
const PAGES: readonly PageKind[] = [
  { what: 'page of lights only downloads', parts: [], goal: LIGHTS_PAGE_GOAL },
  {
    what: 'page with a chart downloads',
    parts: ['latency-chart', 'create-client'],
    goal: CHART_PAGE_GOAL,
  },
  { what: 'the first status change on any page adds', parts: ['page-announcer'] },
];

/** The real `dist/embed.js` build, in memory: each file, and what each kind of page fetches. */
async function embedPages(): Promise<void> {
  const result = await build({
    root,
    configFile: `${root}vite.config.ts`,
    logLevel: 'silent',
    build: { write: false },
  });
  const chunks = chunksOf(result);
  const weights = new Map(chunks.map((c) => [c.isEntry ? '' : c.name, weigh(c.code)]));
  for (const chunk of chunks) {
    const w = weigh(chunk.code);
    console.log(`  ${chunk.fileName}: ${w.min} B min, ${w.gzip} B gzip, ${w.br} B brotli`);
  }
  const named = new Set(PAGES.flatMap((p) => p.parts));
  for (const name of weights.keys()) {
    if (name !== '' && !named.has(name)) {
      console.log(`  part "${name}" is in no kind of page below: add it to PAGES`);
      missed++;
    }
  }
  for (const page of PAGES) {
    const files = page.goal === undefined ? page.parts : ['', ...page.parts];
    const w = files.reduce(
      (t, n) => {
        const part = weights.get(n);
        if (part === undefined) throw new Error(`no part "${n}" in the build`);
        return { gzip: t.gzip + part.gzip, br: t.br + part.br };
      },
      { gzip: 0, br: 0 },
    );
    const goal =
      page.goal === undefined
        ? ''
        : `; goal ≤ ${kB(page.goal)} brotli — ${verdict(w.br <= page.goal)}`;
    console.log(
      `${page.what} (${files.length} file${files.length > 1 ? 's' : ''}, response bodies): ` +
        `${w.br} B brotli (${kB(w.br)}), ${w.gzip} B gzip (${kB(w.gzip)})${goal}`,
    );
  }
}

/** KiB, 1 024 bytes, as the goals are set. */
const kB = (n: number) => `${(n / 1024).toFixed(2)} KiB`;
let missed = 0;
const verdict = (met: boolean) => {
  if (!met) missed++;
  return met ? 'met' : 'missed';
};

await embedPages();
for (const entry of ENTRIES) {
  const { min, gzip } = await measure(entry);
  const size = `${entry.name}: ${min} B min (${kB(min)}), ${gzip} B min+gzip (${kB(gzip)})`;
  if (entry.goalGzipBytes === undefined) {
    console.log(size);
    continue;
  }
  const met = gzip <= entry.goalGzipBytes;
  console.log(`${size}; goal ≤ ${kB(entry.goalGzipBytes)} min+gzip — ${verdict(met)}`);
}
process.exitCode = missed > 0 ? 1 : 0;
