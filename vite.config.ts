/** Vite config: the library build of the embeddable components bundle (the tests' set-up is vitest.config.ts). */
import { defineConfig } from 'vite';
import { minifyLitCss } from './vite-plugins/minify-lit-css.js';
import { precompress } from './vite-plugins/precompress.js';

export default defineConfig({
  plugins: [minifyLitCss(), precompress()],
  // Production builds of dependencies (Lit's, without its dev-mode checks and warning) whatever
  // NODE_ENV says: the server may build the bundle in memory inside a test or a dev shell.
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    lib: {
      entry: 'src/components/embed.ts',
      formats: ['es'],
      fileName: () => 'embed.js',
    },
    outDir: 'dist',
    // `tsc` writes the rest of the package into dist/ first; the bundle joins it.
    emptyOutDir: false,
    // The bundle is served to browsers whose age we do not control, but all run ES2022 modules.
    target: 'es2022',
    // Vite leaves an ES library's whitespace for the app bundler that would take it next; this
    // bundle goes straight to browsers, so the output is minified whole.
    minify: true,
    rolldownOptions: {
      // The chart chunk imports Lit and the feed from the entry itself, which may export more
      // for that; otherwise they would move to a third file every page has to fetch.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        // Pure-call marks are for a bundler that comes next; none does, so they are dead bytes.
        comments: { annotation: false },
        // Parts loaded later (the chart) sit beside the entry, named by their content's hash:
        // the server can let browsers keep them for good.
        chunkFileNames: 'embed/[name]-[hash].js',
      },
    },
    sourcemap: false,
  },
});
