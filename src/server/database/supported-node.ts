/** Which Node.js can run the server: the oldest release whose built-in SQLite has what the database module uses. */

/**
 * The oldest Node.js the server runs on: `node:sqlite` without a flag, with `isOpen` and
 * `isTransaction`. The package's `engines` starts its range here.
 */
export const MIN_NODE = '22.16.0';

/** The LTS lines the suite runs on, as `engines` names them. */
export const TESTED_NODE_LINES = [22, 24, 26] as const;

function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
}

/**
 * Why the server cannot run on Node.js `version` (`process.versions.node`), worded for the
 * operator; undefined when it can.
 *
 * @example
 * ```ts
 * unsupportedNode('20.19.5'); // 'kpi-lights needs Node.js 22.16 or later …; this is Node.js 20.19.5'
 * unsupportedNode('24.22.3'); // undefined
 * ```
 */
export function unsupportedNode(version: string): string | undefined {
  const have = parts(version);
  const need = parts(MIN_NODE);
  for (let i = 0; i < 3; i++) {
    if (have[i] > need[i]) return undefined;
    if (have[i] < need[i]) {
      const lines = TESTED_NODE_LINES.join(', ');
      return (
        `kpi-lights needs Node.js ${need[0]}.${need[1]} or later (an LTS line it is tested on: ${lines}); ` +
        `this is Node.js ${version.replace(/^v/, '')}`
      );
    }
  }
  return undefined;
}
