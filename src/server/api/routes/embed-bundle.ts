/** Finds the components bundle (`dist/embed.js`, its parts in `dist/embed/`) in every coding; builds it with vite in a clone without a build. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbedFile, embedFile, type Precompressed } from './embed-file.js';

/** The bundle's files, each in every coding. */
export interface EmbedBundle {
  /**
   * One file by its path in the bundle: `embed.js`, or a part, `embed/<name>-<hash>.js`.
   * Resolves `undefined` when the bundle has no such file.
   */
  file(path: string): Promise<EmbedFile | undefined>;
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

/** The paths a bundle may have: the entry, and parts named by the build (no folders, no dots). */
export const EMBED_FILE_PATH = /^(embed\.js|embed\/[\w-]+\.js)$/;

/** Where a build puts the bundle: beside the built server (`dist/server/api/routes/` → `dist/`), or a clone's `dist/`. */
const CANDIDATES = [
  new URL('../../../', import.meta.url),
  new URL('../../../../dist/', import.meta.url),
];
/** The project root of a source checkout, where `vite.config.ts` names the library build. */
const SOURCE_ROOT = new URL('../../../../', import.meta.url);

/**
 * A bundle held in memory, every file compressed once (or its build's `.br`/`.gz` taken).
 *
 * @example
 * ```ts
 * const bundle = embedBundle({ 'embed.js': code });
 * (await bundle.file('embed.js'))?.br.etag;
 * ```
 */
export function embedBundle(
  files: Readonly<Record<string, Uint8Array>>,
  built: Readonly<Record<string, Precompressed>> = {},
): EmbedBundle {
  const ready = new Map<string, Promise<EmbedFile>>();
  for (const [path, bytes] of Object.entries(files)) {
    const file = embedFile(bytes, built[path]);
    // Compressed in the background from now; a failure surfaces on the request that asks.
    file.catch(() => {});
    ready.set(path, file);
  }
  return { file: async (path) => ready.get(path) };
}

function readIfFile(path: string): Buffer | undefined {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path) : undefined;
}

/**
 * The bundle in a build folder, each file read, checked and compressed when first asked, and
 * again when it changes on disk: a rebuild is served without a restart. Parts of earlier
 * builds stay servable while their files stay, for pages that still run an earlier entry.
 */
function bundleOnDisk(root: string): EmbedBundle {
  const held = new Map<string, { mtimeMs: number; file: Promise<EmbedFile> }>();
  return {
    async file(path) {
      if (!EMBED_FILE_PATH.test(path)) return undefined;
      const full = join(root, path);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat?.isFile()) return undefined;
      const known = held.get(path);
      if (known?.mtimeMs === stat.mtimeMs) return known.file;
      const file = embedFile(readFileSync(full), {
        br: readIfFile(`${full}.br`),
        gzip: readIfFile(`${full}.gz`),
      });
      held.set(path, { mtimeMs: stat.mtimeMs, file });
      // A failure is not kept: the next request reads the file again.
      file.catch(() => {
        if (held.get(path)?.file === file) held.delete(path);
      });
      return file;
    },
  };
}

/**
 * Builds the bundle in memory from a source checkout with vite's `build()`: a fresh
 * `npm ci && npm start` then serves the components with no `npm run build`. Vite is a dev
 * dependency; an installed package ships `dist/embed.js` instead.
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
  try {
    const result = await vite.build({
      root,
      configFile,
      logLevel: 'warn',
      build: { write: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
      'output' in r ? r.output : [],
    );
    const files: Record<string, Uint8Array> = {};
    const built: Record<string, { br?: Uint8Array; gzip?: Uint8Array }> = {};
    for (const out of outputs) {
      const bytes =
        out.type === 'chunk'
          ? new TextEncoder().encode(out.code)
          : typeof out.source === 'string'
            ? new TextEncoder().encode(out.source)
            : out.source;
      const coded = /^(.*)\.(br|gz)$/.exec(out.fileName);
      if (coded === null) files[out.fileName] = bytes;
      else (built[coded[1]] ??= {})[coded[2] === 'br' ? 'br' : 'gzip'] = bytes;
    }
    if (files['embed.js'] === undefined) throw new Error('the build made no embed.js');
    return embedBundle(files, built);
  } catch (err) {
    if (err instanceof EmbedBundleMissing) throw err;
    throw new EmbedBundleMissing('building the components bundle failed', { cause: err });
  }
}

/**
 * A source that always builds from the sources in memory, once, shared by every request that
 * waits for it; a failed build is retried on the next request. For tests of what the sources
 * make now, whatever `dist/` holds.
 *
 * @example
 * ```ts
 * app.route('/', createEmbedRoutes({ bundle: embedBundleFromSource() }));
 * ```
 */
export function embedBundleFromSource(): EmbedBundleSource {
  let built: Promise<EmbedBundle> | undefined;
  return function builtEmbedBundle() {
    built ??= buildFromSource().catch((err: unknown) => {
      built = undefined;
      throw err;
    });
    return built;
  };
}

/**
 * The default source: the build in `dist/` if it has `embed.js`, else one in-memory build on
 * first request, shared by every request that waits for it. A failed build is retried on the
 * next request.
 *
 * @example
 * ```ts
 * const bundle = await embedBundleSource()();
 * (await bundle.file('embed.js'))?.identity.etag; // '"q1w2…"'
 * ```
 */
export function embedBundleSource(): EmbedBundleSource {
  const onDisk = new Map<string, EmbedBundle>();
  const fromSource = embedBundleFromSource();
  return async function currentEmbedBundle() {
    for (const url of CANDIDATES) {
      const root = fileURLToPath(url);
      if (!statSync(join(root, 'embed.js'), { throwIfNoEntry: false })?.isFile()) continue;
      let bundle = onDisk.get(root);
      if (bundle === undefined) onDisk.set(root, (bundle = bundleOnDisk(root)));
      return bundle;
    }
    return fromSource();
  };
}
