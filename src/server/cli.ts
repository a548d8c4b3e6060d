#!/usr/bin/env node
/** The `kpi-lights` command: `serve` a KPI server from a policy file, `validate` it, read its `policy` versions, or `export` it for Prometheus. */
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unsupportedNode } from './database/supported-node.js';
import { errorMessage } from './error-message.js';
import { formatIssue, loadPolicyFile, PolicyError } from './policy/index.js';
import type { ChangeOutcome } from './policy/policy-governance.js';
import { parseDuration } from './time/duration.js';

const HELP = `kpi-lights — traffic-light KPIs for public services

Usage:
  kpi-lights serve --config FILE [--port N] [--host H] [--data-dir DIR] [--max-series N]
                   [--query.* …]
  kpi-lights validate --config FILE
  kpi-lights policy log [--data-dir DIR]
  kpi-lights policy diff A B [--data-dir DIR]
  kpi-lights export prometheus-rules --config FILE [--out DIR]
  kpi-lights --help | --version

Commands:
  serve      scrape the policy's targets, evaluate its KPIs, serve the API and stream
  validate   check a policy file; print every problem as file:line:col field: message
  policy log       the policy versions, newest first: number, time, author, reason
  policy diff A B  what changed from version A to version B (secrets redacted)
  export prometheus-rules
             the policy's KPIs and alerts as Prometheus recording and alerting rules, and an
             Alertmanager route and receivers; printed, or written to DIR as
             kpi-lights.rules.yml and alertmanager.yml

Options:
  -c, --config FILE     the policy file (YAML)
  -p, --port N          port to listen on (default 8100; 0 picks a free one)
      --host H          address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
      --data-dir DIR    where history and policy versions are kept (default ./data)
      --max-series N    most series in memory, all targets together (default 500000; 0 = no limit)
      --query.timeout D           the most one query may run (default 2m)
      --query.max-concurrency N   queries evaluated at once; the rest wait (default 20)
      --query.max-samples N       samples one query may load (default 50000000)
      --out DIR         where export writes its files (default: print them)
  -h, --help            show this help
  -v, --version         print the version
`;

/** Thrown for a wrong command line; printed without a stack, with a pointer to --help. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

function version(): string {
  // Two levels up from both src/server/cli.ts and dist/server/cli.js.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'max-series': { type: 'string' },
        'query.timeout': { type: 'string' },
        'query.max-concurrency': { type: 'string' },
        'query.max-samples': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

function requireConfig(config: string | undefined, command: string): string {
  if (!config) throw new UsageError(`${command} needs --config FILE`);
  return config;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8100;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535, got ${JSON.stringify(text)}`,
    );
  }
  return port;
}

function parseMaxSeries(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--max-series must be a whole number ≥ 0, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} must be a whole number above 0, got ${JSON.stringify(text)}`);
  }
  return n;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
  } catch {
    // worded below
  }
  throw new UsageError(
    `--query.timeout must be a positive duration like 30s or 2m, got ${JSON.stringify(text)}`,
  );
}

function validate(configPath: string): number {
  try {
    const { policy } = loadPolicyFile(configPath, {
      onWarning: (issue) => console.error(`warning: ${formatIssue(issue)}`),
    });
    console.log(
      `${configPath} is valid: ${policy.targets.length} targets, ${policy.kpis.length} KPIs`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    for (const issue of err.issues) console.error(formatIssue(issue));
    const count = err.issues.length === 1 ? '1 problem' : `${err.issues.length} problems`;
    console.error(`${configPath}: ${count}`);
    return 1;
  }
}

async function exportRules(what: string | undefined, configPath: string, out: string | undefined) {
  if (what !== 'prometheus-rules') {
    throw new UsageError(`export knows "prometheus-rules", got ${JSON.stringify(what ?? '')}`);
  }
  let policy: ReturnType<typeof loadPolicyFile>['policy'];
  try {
    policy = loadPolicyFile(configPath).policy;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    for (const issue of err.issues) console.error(formatIssue(issue));
    return 1;
  }
  // Loaded only here: serving never needs the YAML writer.
  const { exportPrometheus } = await import('./alerts/export/index.js');
  const { rules, alertmanager } = exportPrometheus(policy);
  if (out === undefined) {
    process.stdout.write(`${rules}---\n${alertmanager}`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'kpi-lights.rules.yml'), rules);
  writeFileSync(join(out, 'alertmanager.yml'), alertmanager);
  console.log(`wrote ${join(out, 'kpi-lights.rules.yml')} and ${join(out, 'alertmanager.yml')}`);
  return 0;
}

async function serve(values: ReturnType<typeof parse>['values']): Promise<number> {
  const configPath = requireConfig(values.config, 'serve');
  const port = parsePort(values.port);
  const maxSeries = parseMaxSeries(values['max-series']);
  const queryTimeoutMs = parseTimeout(values['query.timeout']);
  const queryMaxConcurrency = parseCount('query.max-concurrency', values['query.max-concurrency']);
  const queryMaxSamples = parseCount('query.max-samples', values['query.max-samples']);
  // Loaded only here: `validate` and `--help` need neither SQLite nor the engine.
  const { startServer } = await import('./start-server.js');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      configPath,
      port,
      host: values.host,
      dataDir: values['data-dir'],
      maxSeries,
      queryTimeoutMs,
      queryMaxConcurrency,
      queryMaxSamples,
    });
  } catch (err) {
    if (err instanceof PolicyError) {
      for (const issue of err.issues) console.error(formatIssue(issue));
      console.error(`kpi-lights: not started, ${configPath} has problems`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      console.error(`kpi-lights: cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${code}`);
      return 1;
    }
    throw err;
  }
  // Signals are heard before the startup lines go out: whoever waits for them may signal at once.
  const stopped = new Promise<number>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      console.log(`kpi-lights: ${signal}, shutting down`);
      // A second signal means "now": do not make the operator wait on a stuck close.
      process.once(signal, () => process.exit(1));
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          console.error(`kpi-lights: shutdown failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    process.on('SIGHUP', () => {
      server.app.reload('reloaded on SIGHUP').then(
        (outcome) => console.log(`kpi-lights: SIGHUP: ${describeReload(outcome)}`),
        (err: unknown) => console.error(`kpi-lights: SIGHUP: reload failed: ${errorMessage(err)}`),
      );
    });
  });
  const running = server.app.current();
  console.log(`kpi-lights ${version()} listening on ${server.url}`);
  console.log(
    `  policy ${configPath}, version ${running.version.version} (${running.version.hash.slice(0, 12)})`,
  );
  console.log(`  data in ${values['data-dir'] ?? 'data'}`);
  const targets = server.targets();
  const { source } = running.policy;
  if (source.kind === 'prometheus') {
    // Where it goes, never how it logs in: headers and a URL's user info may be credentials.
    const url = new URL(source.url);
    console.log(`  querying ${url.origin}${url.pathname}; scraping is off`);
  } else if (targets.length === 0) console.log('  no targets to scrape');
  for (const t of targets)
    console.log(`  scraping ${t.url} (job ${t.job}) every ${t.intervalMs / 1000}s`);
  console.log(
    `  ${running.policy.kpis.length} KPIs, evaluated every ${running.policy.evaluation.intervalMs / 1000}s`,
  );

  return stopped;
}

/** `policy log` and `policy diff A B`, over the data folder's database; no server needed. */
async function policyCommand(args: readonly string[], dataDir: string): Promise<number> {
  const { policyDiff, policyLog, PolicyCommandError } = await import('./policy-log-command.js');
  const [sub, ...rest] = args;
  const print = (line: string) => console.log(line);
  try {
    if (sub === 'log' && rest.length === 0) policyLog(dataDir, print);
    else if (sub === 'diff' && rest.length <= 2) policyDiff(dataDir, rest[0], rest[1], print);
    else throw new UsageError('expected "policy log" or "policy diff A B"');
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyCommandError)) throw err;
    console.error(`kpi-lights: ${err.message}`);
    return 1;
  }
}

/** One line about a reload's end, for the operator who sent SIGHUP. */
function describeReload(outcome: ChangeOutcome): string {
  if (!outcome.ok) {
    const issues = (outcome.issues ?? []).map((i) => `\n  ${formatIssue(i)}`).join('');
    return `${outcome.detail}; version ${outcome.current.version} stays in force${issues}`;
  }
  return `policy version ${outcome.version.version} in force`;
}

/**
 * Runs the command line and answers the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['validate', '--config', 'kpi-lights.yaml']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.version) {
      console.log(version());
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === 'help') {
      console.log(HELP);
      return 0;
    }
    if (command === undefined) {
      console.error(HELP);
      return 2;
    }
    const unsupported = unsupportedNode(process.versions.node);
    if (unsupported !== undefined) {
      console.error(unsupported);
      return 1;
    }
    if (command === 'policy') return await policyCommand(rest, values['data-dir'] ?? 'data');
    if (command === 'export') {
      if (rest.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}`);
      return await exportRules(rest[0], requireConfig(values.config, 'export'), values.out);
    }
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    if (command === 'validate') return validate(requireConfig(values.config, 'validate'));
    if (command === 'serve') return await serve(values);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`kpi-lights: ${err.message}\nRun "kpi-lights --help" for usage.`);
      return 2;
    }
    console.error(`kpi-lights: ${errorMessage(err)}`);
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
