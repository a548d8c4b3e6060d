/** Where the Prometheus promqltest files live: an argument, `KPI_LIGHTS_CONFORMANCE_DIR`, or `../shared/…`. */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The default folder, outside the repo beside it, as the project keeps shared data. */
export const DEFAULT_CONFORMANCE_DIR = resolve(repoRoot, '../shared/conformance/prometheus/promql');

/**
 * Picks the conformance folder; `exists` says whether it is there to run.
 * @example conformanceDir(undefined).dir // the env override, else the shared default
 */
export function conformanceDir(arg: string | undefined): { dir: string; exists: boolean } {
  const dir = resolve(arg ?? process.env.KPI_LIGHTS_CONFORMANCE_DIR ?? DEFAULT_CONFORMANCE_DIR);
  return { dir, exists: existsSync(dir) };
}

/**
 * True when `dir` is Prometheus's own promqltest folder (the env override or the shared default,
 * the same folder the test suite runs), compared after resolving links. Only that folder has a
 * floor: its pass counts are known and recorded in `floor.json`.
 *
 * @example isPrometheusFolder('test/promql') // false
 */
export function isPrometheusFolder(dir: string): boolean {
  const own = conformanceDir(undefined);
  if (!own.exists || !existsSync(dir)) return false;
  return realpathSync(dir) === realpathSync(own.dir);
}
