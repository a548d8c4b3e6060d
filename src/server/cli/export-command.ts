/** `kpi-lights export prometheus-rules`: the policy as Prometheus rules and Alertmanager routes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile, PolicyError } from '../policy/index.js';
import type { CliIo } from './cli-io.js';
import { UsageError } from './usage.js';
import { printIssues } from './validate-command.js';

/** Prints the two files, or writes them to `out`. */
export async function exportCommand(
  what: string | undefined,
  configPath: string,
  out: string | undefined,
  io: CliIo,
): Promise<number> {
  if (what !== 'prometheus-rules') {
    throw new UsageError(`export knows "prometheus-rules", got ${JSON.stringify(what ?? '')}`);
  }
  let policy: ReturnType<typeof loadPolicyFile>['policy'];
  try {
    policy = loadPolicyFile(configPath).policy;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    printIssues(io, err.issues);
    return 1;
  }
  // Loaded only here: serving never needs the YAML writer.
  const { exportPrometheus, RULE_FILE } = await import('../alerts/config-export/index.js');
  const { rules, alertmanager } = exportPrometheus(policy);
  if (out === undefined) {
    io.write(`${rules}---\n${alertmanager}`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, RULE_FILE), rules);
  writeFileSync(join(out, 'alertmanager.yml'), alertmanager);
  io.out(`wrote ${join(out, RULE_FILE)} and ${join(out, 'alertmanager.yml')}`);
  return 0;
}
