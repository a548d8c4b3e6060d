/** Which policy a server starts on: the file's, or under the two-person rule the last approved version while a changed file awaits approval. */
import { type LoadedPolicy, PolicyError, type PolicyVersionStore } from '../policy/index.js';
import type { Policy } from '../policy/types.js';

/** The text and policy to run at start. */
export interface StartPolicy {
  readonly text: string;
  readonly policy: Policy;
  /**
   * True when the file changed while the server was down, but the version in force was made
   * under the two-person rule: the server runs that version, and the file must be proposed.
   */
  readonly fileHeld: boolean;
}

/**
 * Picks the policy to start on. The file wins, as an author like any token, unless the version
 * in force has the two-person rule on: then a file that differs from it (edited while the
 * server was down, or read-only and so never given an approved change) is not trusted to undo
 * what two people approved. The server runs the version in force, and the caller proposes the
 * file's text for approval. A version in force that no longer parses leaves the file to win.
 *
 * @example
 * ```ts
 * const start = startPolicy(loadPolicyFile(path), versions, (text) => parsePolicy(text, path));
 * ```
 */
export function startPolicy(
  loaded: LoadedPolicy,
  versions: Pick<PolicyVersionStore, 'latest'>,
  parse: (text: string) => Policy,
): StartPolicy {
  const fromFile = { text: loaded.text, policy: loaded.policy, fileHeld: false };
  const latest = versions.latest();
  if (!latest || latest.text === loaded.text) return fromFile;
  let approved: Policy;
  try {
    approved = parse(latest.text);
  } catch (err) {
    if (err instanceof PolicyError) return fromFile;
    throw err;
  }
  if (!approved.governance.twoPerson) return fromFile;
  return { text: latest.text, policy: approved, fileHeld: true };
}
