/** How a policy file is named to API readers: relative to the working folder, never an absolute path. */
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The name of `path` as readers of the API see it: relative to `cwd`, or the bare file name when
 * the file lies outside it. An absolute path tells an attacker the layout of the machine.
 *
 * @example
 * ```ts
 * displayPath('/srv/kpi/conf/kpi-lights.yaml', '/srv/kpi'); // 'conf/kpi-lights.yaml'
 * displayPath('/etc/kpi-lights.yaml', '/srv/kpi');          // 'kpi-lights.yaml'
 * ```
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, path));
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    return basename(path);
  }
  return rel;
}
