/** Where the bytes of `/embed.js` (and its parts, or another entry) go: each module's and each area's share after minification and compression. */
import { build, type Plugin } from 'vite';
import { minifyLitCss } from '../vite-plugins/minify-lit-css.js';
import { chunksOf, weigh } from './bundle-weight.js';

const root = new URL('..', import.meta.url).pathname;
/** `npm run bench -- breakdown` weighs the embed build; `-- breakdown --entry=src/…` one entry as a user's bundler builds it. */
const entry = process.argv.find((a) => a.startsWith('--entry='))?.slice('--entry='.length);

/** Each module's code opens with this comment, which the minifier keeps (a legal comment). */
const MARK = /\/\*! module (\S+) \*\/\n?/g;

/** Prepends the mark to every module once all other plugins have transformed it. */
const markModules: Plugin = {
  name: 'mark-modules',
  enforce: 'post',
  transform(code, id) {
    if (!/\.[cm]?[jt]s$/.test(id)) return null;
    const name = id.replace(/^.*\/node_modules\//, '').replace(root, '');
    return { code: `/*! module ${name} */\n${code}`, map: null };
  },
};

/** The area a module belongs to, for the summary: Lit, the SDK, or a components folder. */
function areaOf(name: string): string {
  if (/^(lit|lit-html|lit-element|@lit)\//.test(name)) return 'Lit';
  if (name.startsWith('src/components/')) return name.split('/').slice(1, 3).join('/');
  return name.split('/').slice(0, 2).join('/');
}

/**
 * The build with each module marked. The minifier keeps whole statements apart (no joined
 * `var`s or comma sequences), so each mark stays at its module's start; the code is therefore a
 * little larger than the real build's, which the first line of each chunk says.
 */
const result = await build({
  root,
  configFile: entry ? false : `${root}vite.config.ts`,
  logLevel: 'silent',
  plugins: entry ? [minifyLitCss(), markModules] : [markModules],
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    write: false,
    minify: true,
    ...(entry && { lib: { entry: `${root}${entry}`, formats: ['es'], fileName: 'entry' } }),
    rolldownOptions: {
      output: {
        minify: { compress: { joinVars: false, sequences: false }, mangle: true },
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});

for (const chunk of chunksOf(result)) {
  const marks = [...chunk.code.matchAll(MARK)];
  const code = chunk.code.replace(MARK, '');
  const texts = new Map<string, string>();
  marks.forEach((mark, i) => {
    const end = marks[i + 1]?.index ?? chunk.code.length;
    const text = chunk.code.slice(mark.index + mark[0].length, end).replace(MARK, '');
    texts.set(mark[1], (texts.get(mark[1]) ?? '') + text);
  });
  const whole = weigh(code);
  console.log(
    `\n${chunk.fileName}: ${whole.min} B min, ${whole.gzip} B gzip, ${whole.br} B brotli ` +
      '(analysis build: statements kept apart, a little above the real build)',
  );
  // A module's share is what the chunk would lose without it: compression shares the rest.
  const rows = [...texts].map(([name, text]) => {
    const without = weigh(code.replace(text, ''));
    return { name, min: text.length, gzip: whole.gzip - without.gzip, br: whole.br - without.br };
  });
  const areas = new Map<string, { min: number; gzip: number; br: number }>();
  for (const row of rows) {
    const area = areas.get(areaOf(row.name)) ?? { min: 0, gzip: 0, br: 0 };
    areas.set(areaOf(row.name), {
      min: area.min + row.min,
      gzip: area.gzip + row.gzip,
      br: area.br + row.br,
    });
  }
  const table = (label: string, list: [string, { min: number; gzip: number; br: number }][]) => {
    console.log(
      `  ${label.padEnd(52)} ${'min'.padStart(7)} ${'gzip'.padStart(6)} ${'br'.padStart(6)}`,
    );
    for (const [name, w] of list.sort((a, b) => b[1].br - a[1].br)) {
      console.log(
        `  ${name.padEnd(52)} ${String(w.min).padStart(7)} ${String(w.gzip).padStart(6)} ${String(w.br).padStart(6)}`,
      );
    }
  };
  table('by area', [...areas]);
  table(
    'by module',
    rows.map((r) => [r.name, r] as [string, typeof r]),
  );
}
