/** `kpi-lights validate`: every problem of a policy file, as `serve` and `PUT` would refuse it. */
import type { PolicyIssue } from '../../sdk/types.js';
import { formatIssue, loadPolicyFile, PolicyError } from '../policy/index.js';
import type { CliIo } from './cli-io.js';

/** Prints a refused policy's issues, one `file:line:col field: message` a line. */
export function printIssues(io: CliIo, issues: readonly PolicyIssue[]): void {
  for (const issue of issues) io.err(formatIssue(issue));
}

/**
 * Checks the file; 0 when `serve` would take it, 1 with every problem printed when not. A valid
 * file's selectors are then linted against what its targets (or its Prometheus) send, when
 * they answer: warnings only, the exit code stays 0.
 */
export async function validateCommand(configPath: string, io: CliIo): Promise<number> {
  try {
    const { policy, text } = loadPolicyFile(configPath, {
      onWarning: (issue) => io.err(`warning: ${formatIssue(issue)}`),
    });
    io.out(`${configPath} is valid: ${policy.targets.length} targets, ${policy.kpis.length} KPIs`);
    // Loaded only here: a file with problems needs neither the scraper nor the engine.
    const { lintAgainstTargets } = await import('./validate-lint.js');
    await lintAgainstTargets(policy, text, configPath, io);
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    printIssues(io, err.issues);
    const count = err.issues.length === 1 ? '1 problem' : `${err.issues.length} problems`;
    io.err(`${configPath}: ${count}`);
    return 1;
  }
}
