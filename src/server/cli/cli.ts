#!/usr/bin/env node
/** The `kpi-lights` command: `serve` a KPI server from a policy file, `validate` it, read its `policy` versions, `export` it for Prometheus, or `import` samples. */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../../shared/error-message.js';
import { unsupportedNode } from '../database/supported-node.js';
import { type CliIo, processIo } from './cli-io.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { serveCommand } from './serve-command.js';
import { HELP, parse, requireConfig, UsageError, version } from './usage.js';
import { validateCommand } from './validate-command.js';

/** `policy log` and `policy diff A B`, over the data folder's database; no server needed. */
async function policyCommand(args: readonly string[], dataDir: string, io: CliIo) {
  const { policyDiff, policyLog, PolicyCommandError } = await import('./policy-log-command.js');
  const [sub, ...rest] = args;
  const print = (line: string) => io.out(line);
  try {
    if (sub === 'log' && rest.length === 0) policyLog(dataDir, print);
    else if (sub === 'diff' && rest.length <= 2) policyDiff(dataDir, rest[0], rest[1], print);
    else throw new UsageError('expected "policy log" or "policy diff A B"');
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyCommandError)) throw err;
    io.err(`kpi-lights: ${err.message}`);
    return 1;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.version) {
    io.out(version());
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.out(HELP);
    return 0;
  }
  if (command === undefined) {
    io.err(HELP);
    return 2;
  }
  const unsupported = unsupportedNode(process.versions.node);
  if (unsupported !== undefined) {
    io.err(unsupported);
    return 1;
  }
  if (command === 'policy') return policyCommand(rest, values['data-dir'] ?? 'data', io);
  if (command === 'import') return importCommand(rest, values, io);
  if (command === 'export') {
    if (rest.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}`);
    return exportCommand(rest[0], requireConfig(values.config, 'export'), values.out, io);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (command === 'validate') return validateCommand(requireConfig(values.config, 'validate'), io);
  if (command === 'serve') return serveCommand(values, io);
  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}

/**
 * Runs the command line and answers the exit code. Output goes to `io`, the process's streams
 * by default, so a test runs the command in-process.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['validate', '--config', 'kpi-lights.yaml']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`kpi-lights: ${err.message}\nRun "kpi-lights --help" for usage.`);
      return 2;
    }
    io.err(`kpi-lights: ${errorMessage(err)}`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Exit explicitly: a keep-alive socket or a library's timer must not hold a stopped server.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
