/** A vite plugin that writes `.br` and `.gz` beside each script chunk, compressed as far as each goes. */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * After the chunks are final (minified), emits `<chunk>.br` (brotli, quality 11) and
 * `<chunk>.gz` (gzip, level 9) beside each, so the server sends them without compressing per
 * request. The server checks each against its chunk before trusting it.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [precompress()] });
 * ```
 */
export function precompress(): Plugin {
  return {
    name: 'kpi-lights:precompress',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const code = Buffer.from(file.code);
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.br`,
          source: brotliCompressSync(code, {
            params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
          }),
        });
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.gz`,
          source: gzipSync(code, { level: 9 }),
        });
      }
    },
  };
}
