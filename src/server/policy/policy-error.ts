/** The one error a refused policy throws: every problem, each with file, line, column and field. */
import type { PolicyIssue } from '../../sdk/types.js';

/** One problem as one line: `file:line:col path: message`. */
export function formatIssue(issue: PolicyIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/**
 * A policy that cannot run. `issues` lists every problem found, in file order; the message has
 * a summary line and then one line per problem.
 *
 * @example
 * ```ts
 * try { loadPolicyFile('kpi-lights.yaml'); }
 * catch (err) { if (err instanceof PolicyError) console.error(err.message); }
 * ```
 */
export class PolicyError extends Error {
  readonly issues: readonly PolicyIssue[];

  constructor(file: string, issues: readonly PolicyIssue[], options?: { cause?: unknown }) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`policy ${file} has ${count}:\n${issues.map(formatIssue).join('\n')}`, options);
    this.name = 'PolicyError';
    this.issues = issues;
  }
}
