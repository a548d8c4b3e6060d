/** One script of the components bundle in every coding the server sends: as it is, brotli and gzip, each with its strong ETag. */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import type { ContentCoding } from '../params/accept-encoding.js';

/** The codings every file has, smallest first: the order negotiation breaks ties in. */
export const EMBED_CODINGS: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/** One coding of a file: its bytes and a strong validator of exactly those bytes. */
export interface EmbedVariant {
  readonly body: Uint8Array<ArrayBuffer>;
  /** Quoted: a hash of `body`, so each coding has its own tag, equal on every server with equal bytes. */
  readonly etag: string;
}

/** A file in each coding. */
export type EmbedFile = Readonly<Record<ContentCoding, EmbedVariant>>;

/** Codings made at build (`.br`, `.gz` beside the file), to use when they hold the same bytes. */
export interface Precompressed {
  readonly br?: Uint8Array;
  readonly gzip?: Uint8Array;
}

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The most compression each gives: the work is done once per build or per server start. */
const BROTLI_MAX = { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } };
const GZIP_MAX = { level: 9 };

/**
 * One coding's bytes, with their tag.
 *
 * @example
 * ```ts
 * embedVariant(new TextEncoder().encode('export {};')).etag; // '"q1w2…"'
 * ```
 */
export function embedVariant(bytes: Uint8Array): EmbedVariant {
  // A copy on its own ArrayBuffer: what a response body takes, and safe from a pooled Buffer.
  const body = new Uint8Array(bytes);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, etag: `"${hash}"` };
}

/** `packed` when it unpacks to `plain` (a stale `.br` from an older build does not), else undefined. */
async function verified(
  packed: Uint8Array | undefined,
  unpack: (b: Uint8Array) => Promise<Buffer>,
  plain: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (packed === undefined) return undefined;
  try {
    return Buffer.from(plain).equals(await unpack(packed)) ? packed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file in every coding: the build's `.br` and `.gz` when they hold the same bytes, else
 * compressed here, once, on the thread pool so no request waits on the event loop for it.
 *
 * @example
 * ```ts
 * const file = await embedFile(readFileSync('dist/embed.js'), { br: readFileSync('dist/embed.js.br') });
 * file.br.body; // brotli bytes
 * ```
 */
export async function embedFile(plain: Uint8Array, built: Precompressed = {}): Promise<EmbedFile> {
  const [br, gz] = await Promise.all([
    verified(built.br, (b) => unbrotli(b), plain).then((b) => b ?? brotli(plain, BROTLI_MAX)),
    verified(built.gzip, (b) => gunzipAsync(b), plain).then((b) => b ?? gzipAsync(plain, GZIP_MAX)),
  ]);
  return { identity: embedVariant(plain), br: embedVariant(br), gzip: embedVariant(gz) };
}
