/** Finds the components bundle (`dist/embed.js`) and fingerprints it; builds it with vite in a clone without a build. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's bytes and its strong validator. */
export interface EmbedBundle {
  readonly code: Uint8Array<ArrayBuffer>;
  /** A strong ETag, quoted: a hash of the bytes, so equal bytes give an equal tag on any server. */
  readonly etag: string;
}

/** Gives the current bundle; rejects when there is none and none can be built. */
export type EmbedBundleSource = () => Promise<EmbedBundle>;

/** Why there is no bundle to serve; the route turns it into a 503 that says what to do. */
export class EmbedBundleMissing extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbedBundleMissing';
  }
}

/** Where the bundle sits: beside the built server (`dist/server/api/` → `dist/`), or in a clone's `dist/`. */
const CANDIDATES = [
  new URL('../../../embed.js', import.meta.url),
  new URL('../../../../dist/embed.js', import.meta.url),
];
/** The project root of a source checkout, where `vite.config.ts` names the library build. */
const SOURCE_ROOT = new URL('../../../../', import.meta.url);

/** Hashes bytes into a strong ETag. */
export function embedBundle(bytes: Uint8Array): EmbedBundle {
  // A copy on its own ArrayBuffer: what a response body takes, and safe from a pooled Buffer.
  const code = new Uint8Array(bytes);
  const hash = createHash('sha256').update(code).digest('base64url').slice(0, 27);
  return { code, etag: `"${hash}"` };
}

/**
 * Builds the bundle in memory from a source checkout with vite's `build()`, into a temporary
 * folder that is removed again: a fresh `npm ci && npm start` then serves the components with no
 * `npm run build`. Vite is a dev dependency; an installed package ships `dist/embed.js` instead.
 */
async function buildFromSource(): Promise<EmbedBundle> {
  const root = fileURLToPath(SOURCE_ROOT);
  const configFile = join(root, 'vite.config.ts');
  if (!existsSync(configFile)) {
    throw new EmbedBundleMissing('no dist/embed.js and no sources to build it from');
  }
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (err) {
    throw new EmbedBundleMissing('no dist/embed.js, and vite is not installed to build it', {
      cause: err,
    });
  }
  const outDir = mkdtempSync(join(tmpdir(), 'kpi-lights-embed-'));
  try {
    await vite.build({
      root,
      configFile,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    return embedBundle(readFileSync(join(outDir, 'embed.js')));
  } catch (err) {
    if (err instanceof EmbedBundleMissing) throw err;
    throw new EmbedBundleMissing('building the components bundle failed', { cause: err });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The default source: `dist/embed.js` if it exists (read again when its file changes, so a
 * rebuild is served without a restart), else one in-memory build on first request, shared by
 * every request that waits for it. A failed build is retried on the next request.
 *
 * @example
 * ```ts
 * const bundle = await embedBundleSource()();
 * bundle.etag; // '"q1w2…"'
 * ```
 */
export function embedBundleSource(): EmbedBundleSource {
  let fromFile: { path: string; mtimeMs: number; bundle: EmbedBundle } | undefined;
  let built: Promise<EmbedBundle> | undefined;
  return async function currentEmbedBundle() {
    for (const url of CANDIDATES) {
      const path = fileURLToPath(url);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      if (fromFile?.path !== path || fromFile.mtimeMs !== stat.mtimeMs) {
        fromFile = { path, mtimeMs: stat.mtimeMs, bundle: embedBundle(readFileSync(path)) };
      }
      return fromFile.bundle;
    }
    built ??= buildFromSource().catch((err: unknown) => {
      built = undefined;
      throw err;
    });
    return built;
  };
}
