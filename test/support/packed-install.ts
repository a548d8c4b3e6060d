/** The package as users get it: built and packed from a copy of the project, installed from the tarball offline, with no scripts. */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm run build` reads, besides node_modules; README and ARCHITECTURE go in the tarball. */
const BUILD_INPUTS = [
  'src',
  'vite-plugins',
  'package.json',
  'README.md',
  'ARCHITECTURE.md',
  'tsconfig.json',
  'tsconfig.build.json',
  'vite.config.ts',
  'custom-elements-manifest.config.mjs',
];

/** Runs npm; throws with its output when it fails. Output is bounded by the commands run. */
export function npm(args: string[], cwd: string, options: SpawnSyncOptions = {}): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, ...options });
  if (r.status !== 0) {
    throw new Error(
      `npm ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
    );
  }
  return String(r.stdout);
}

/** One packed tarball, as `npm pack --json` describes it. */
export interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
}

/**
 * Copies the project's sources into `dir/project`, runs `npm run build` there and packs it
 * into `dir`: the tarball a publisher would make, without touching the checkout's dist/.
 *
 * @example
 * ```ts
 * const { tarball } = packProject(mkdtempSync(join(tmpdir(), 'kpi-pack-')));
 * ```
 */
export function packProject(dir: string): Packed {
  const project = join(dir, 'project');
  mkdirSync(project);
  for (const input of BUILD_INPUTS)
    cpSync(join(root, input), join(project, input), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
  npm(['run', 'build'], project);
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], project)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path) };
}

/** The project as {@link packProject} left it: its tarball, and the folder it was built in. */
export interface SharedPack extends Packed {
  /** The built copy of the project: `dist/`, `package.json`, node_modules linked to the checkout's. */
  readonly project: string;
}

/** Where one test run keeps its shared pack: named for the vitest process whose workers share it. */
export function sharedPackDir(vitestPid: number): string {
  return join(tmpdir(), `kpi-lights-pack-${vitestPid}`);
}

/** How long a file waits for another's build: a few builds' time on a loaded machine. */
const SHARED_PACK_WAIT_MS = 240_000;

/**
 * The project built and packed once per test run, for every file that needs the built package:
 * the first to ask builds it (with {@link packProject}), the others wait for it. Vitest's worker
 * processes are its children, so a run's files share `sharedPackDir(process.ppid)`; vitest
 * itself removes the folder at the end (`test/setup/shared-pack.ts`). Three files built the
 * package each before: two builds' CPU (16 s) saved a run.
 *
 * @example
 * ```ts
 * const { project, tarball } = await sharedPack();
 * ```
 */
export async function sharedPack(): Promise<SharedPack> {
  const dir = sharedPackDir(process.ppid);
  const done = join(dir, 'packed.json');
  const failed = join(dir, 'failed.txt');
  let mine = true;
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    mine = false;
  }
  if (mine) {
    try {
      writeFileSync(`${done}.part`, JSON.stringify(packProject(dir)));
      // Renamed whole, so a waiting file never reads half of it.
      renameSync(`${done}.part`, done);
    } catch (error) {
      writeFileSync(failed, String((error as Error).message));
      throw error;
    }
  }
  await waitFor(
    () => {
      if (existsSync(failed)) {
        throw new Error(`the shared package build failed:\n${readFileSync(failed, 'utf8')}`);
      }
      return existsSync(done);
    },
    { timeoutMs: SHARED_PACK_WAIT_MS, everyMs: 100 },
  );
  const packed = JSON.parse(readFileSync(done, 'utf8')) as Packed;
  return { ...packed, project: join(dir, 'project') };
}

/** A user's project with the built package linked in by name, and how to run Node or tsc there. */
export interface LinkedApp {
  /** The user's project folder: `package.json` (ESM), `node_modules/kpi-lights`. */
  readonly app: string;
  /** Runs Node in the app folder with `args`; its exit code and output. */
  run(args: string[]): { code: number | null; out: string };
  /** Type-checks the app folder's `tsconfig.json` with the checkout's TypeScript. */
  typecheck(): { code: number | null; out: string };
}

/**
 * Links the shared build ({@link sharedPack}) into a fresh user project under `dir`, as an
 * install would place it: its `dist/` copied (a link would let Node resolve imports from the
 * built project, beside its modules), the checkout's `package.json`, and the dependencies
 * linked in only `withDependencies`: without, the package runs on the platform alone.
 *
 * @example
 * ```ts
 * const { app, run } = await linkedApp(dir, { withDependencies: false });
 * ```
 */
export async function linkedApp(
  dir: string,
  { withDependencies }: { withDependencies: boolean },
): Promise<LinkedApp> {
  const pkg = join(dir, 'kpi-lights');
  cpSync(join((await sharedPack()).project, 'dist'), join(pkg, 'dist'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  if (withDependencies) symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  const app = join(dir, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(app, 'node_modules', 'kpi-lights'));
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "type": "module", "private": true }');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return { app, run, typecheck: () => run(['--', tsc, '-p', 'tsconfig.json']) };
}

/**
 * Installs `tarball` into the empty folder `app` the way an offline machine would: from the
 * npm cache only, with no install scripts. The cache holds the tarballs `npm ci` fetched but
 * not the registry's version lists, so the dependencies' versions come from the project's
 * lockfile (its non-dev entries: the versions the suite ran with), written as the app's own.
 *
 * @example
 * ```ts
 * installOffline(tarball, join(dir, 'app'));
 * ```
 */
export function installOffline(tarball: string, app: string): void {
  mkdirSync(app, { recursive: true });
  const name = 'kpi-lights.tgz';
  copyFileSync(tarball, join(app, name));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const dependencies = { 'kpi-lights': `file:${name}` };
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies },
    'node_modules/kpi-lights': {
      version: manifest.version,
      resolved: `file:${name}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev) packages[path] = entry;
  }
  const pkg = { name: 'app', private: true, type: 'module', dependencies };
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(
    join(app, 'package-lock.json'),
    JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
}

/** One installed package: its folder under node_modules and its manifest. */
export interface InstalledPackage {
  readonly path: string;
  readonly manifest: { name: string; version: string; scripts?: Record<string, string> };
}

/** Every package under `nodeModules`, nested ones included. */
export function installedPackages(nodeModules: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      if (entry.startsWith('.')) continue;
      const path = join(folder, entry);
      if (entry.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
      found.push({ path, manifest });
      const nested = join(path, 'node_modules');
      if (readdirSync(path).includes('node_modules')) visit(nested);
    }
  };
  visit(nodeModules);
  return found;
}

/** Total size of the files under `folder`, in bytes (symbolic links not followed). */
export function folderBytes(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) bytes += folderBytes(path);
    else bytes += lstatSync(path).size;
  }
  return bytes;
}
