/** What a piece of bundled code weighs as a browser gets it: minified bytes, gzip and brotli at their best levels. */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { build, Rolldown } from 'vite';

/** One piece of code's size, in bytes. */
export interface Weight {
  readonly min: number;
  readonly gzip: number;
  readonly br: number;
}

/**
 * Weighs minified code as the server sends it: gzip level 9 and brotli quality 11, the levels
 * `npm run build` compresses at.
 *
 * @example
 * ```ts
 * weigh('export const a=1;').br;
 * ```
 */
export function weigh(code: string): Weight {
  const bytes = Buffer.from(code);
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    br: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).length,
  };
}

/**
 * The script chunks of a vite build made with `write: false`.
 *
 * @example
 * ```ts
 * const chunks = chunksOf(await build({ build: { write: false } }));
 * ```
 */
export function chunksOf(result: Awaited<ReturnType<typeof build>>): Rolldown.OutputChunk[] {
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
    'output' in r ? r.output : [],
  );
  return outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
}
