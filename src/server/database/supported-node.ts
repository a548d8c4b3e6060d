/** Which Node.js runs the server: the LTS lines it is tested on, from the release whose built-in SQLite has what the database module uses. */

/**
 * The oldest Node.js the server runs on: `node:sqlite` without a flag, with `isOpen`,
 * `isTransaction` and `setReturnArrays`. The package's `engines` starts its range here.
 */
export const MIN_NODE = '22.16.0';

/**
 * The LTS lines the suite runs on, as `engines` names them. Node 26 is not one: its V8 drops
 * the payload of a NaN passed through optimized code, and the staleness marker is such a NaN.
 */
export const TESTED_NODE_LINES = [22, 24] as const;

function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
}

function atLeast(have: readonly number[], need: readonly number[]): boolean {
  for (let i = 0; i < need.length; i++) if (have[i] !== need[i]) return have[i] > need[i];
  return true;
}

/**
 * Why the server cannot run on Node.js `version` (`process.versions.node`), worded for the
 * operator; undefined when it can. It runs on the lines `engines` names, from {@link MIN_NODE}.
 *
 * @example
 * ```ts
 * unsupportedNode('20.19.5'); // 'kpi-lights needs Node.js 22 (22.16 or later) or 24 …; this is Node.js 20.19.5'
 * unsupportedNode('24.22.3'); // undefined
 * ```
 */
export function unsupportedNode(version: string): string | undefined {
  const have = parts(version);
  const min = parts(MIN_NODE);
  const lines: readonly number[] = TESTED_NODE_LINES;
  if (lines.includes(have[0]) && atLeast(have, min)) return undefined;
  const [first, ...later] = TESTED_NODE_LINES;
  return (
    `kpi-lights needs Node.js ${first} (${min[0]}.${min[1]} or later) or ${later.join(' or ')}, ` +
    `the LTS lines it is tested on; this is Node.js ${version.replace(/^v/, '')}`
  );
}
