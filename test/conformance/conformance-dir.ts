/** Where the Prometheus promqltest files live: an argument, `KPI_LIGHTS_CONFORMANCE_DIR`, or `../shared/…`. */
import { existsSync } from 'node:fs';
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
