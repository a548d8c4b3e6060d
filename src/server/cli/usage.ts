/** The command line's words: the help text, the options, and the checks of each flag's value. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../shared/duration.js';

export const HELP = `kpi-lights — traffic-light KPIs for public services

Usage:
  kpi-lights serve --config FILE [--port N] [--host H] [--data-dir DIR] [--max-series N]
                   [--storage.retention D] [--query.* …] [--http.* …]
                   [--rules.alert.resend-delay D] [--web.external-url URL]
  kpi-lights validate --config FILE
  kpi-lights policy log [--data-dir DIR]
  kpi-lights policy diff A B [--data-dir DIR]
  kpi-lights export prometheus-rules --config FILE [--out DIR]
  kpi-lights import openmetrics FILE [--data-dir DIR] [--storage.retention D]
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
  import openmetrics FILE
             load historical samples (OpenMetrics text with timestamps, ending with
             # EOF) into DIR/samples, as promtool tsdb create-blocks-from openmetrics does;
             the server must not be running on DIR

Options:
  -c, --config FILE     the policy file (YAML)
  -p, --port N          port to listen on (default 8100; 0 picks a free one)
      --host H          address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
      --data-dir DIR    where history and policy versions are kept (default ./data)
      --max-series N    most series in memory, all targets together (default 500000; 0 = no limit)
      --storage.retention D       how long samples are kept in DIR/samples (default the
                                  policy's storage.retention, else 15d)
      --query.timeout D           the most one query may run (default 2m)
      --query.max-concurrency N   API queries evaluated at once; the rest wait (default 20)
      --query.workers N           threads evaluating API queries (default one less than the
                                  cores, 1 to 4); the KPI and alert rounds have their own
      --query.max-samples N       samples one query may load or return (default 50000000)
      --query.max-result-bytes N  bytes of labels and answer one query may make, and of a
                                  Prometheus source's answers (default 33554432, 32 MiB)
      --http.max-connections N    open connections, all clients together (default 1024;
                                  lowered to leave a quarter of ulimit -n for scrapes)
      --http.max-connections-per-client N
                                  open connections from one address (default 128; 0 = no cap)
      --http.max-streams N        open event streams, all clients (default 512; 0 = no cap)
      --http.max-streams-per-client N
                                  event streams from one address (default 64; 0 = no cap)
      --http.header-timeout D     time a client has to send its request headers (default 10s)
      --rules.alert.resend-delay D
                        how often a firing alert is sent to Alertmanager again (default 1m)
      --web.external-url URL
                        where readers reach this server; alerts link to themselves there
                        (default http://HOST:PORT)
      --out DIR         where export writes its files (default: print them)
  -h, --help            show this help
  -v, --version         print the version
`;

/** Thrown for a wrong command line; printed without a stack, with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The package's version, from its package.json. */
export function version(): string {
  // Three levels up from both src/server/cli/usage.ts and dist/server/cli/usage.js.
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

/** Parses the command line; an unknown option or a missing value is a {@link UsageError}. */
export function parse(argv: readonly string[]) {
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
        'storage.retention': { type: 'string' },
        'query.timeout': { type: 'string' },
        'query.max-concurrency': { type: 'string' },
        'query.workers': { type: 'string' },
        'query.max-samples': { type: 'string' },
        'query.max-result-bytes': { type: 'string' },
        'http.max-connections': { type: 'string' },
        'http.max-connections-per-client': { type: 'string' },
        'http.max-streams': { type: 'string' },
        'http.max-streams-per-client': { type: 'string' },
        'http.header-timeout': { type: 'string' },
        'rules.alert.resend-delay': { type: 'string' },
        'web.external-url': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

/** The options as parsed. */
export type CliValues = ReturnType<typeof parse>['values'];

export function requireConfig(config: string | undefined, command: string): string {
  if (!config) throw new UsageError(`${command} needs --config FILE`);
  return config;
}

export function parsePort(text: string | undefined): number {
  if (text === undefined) return 8100;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535, got ${JSON.stringify(text)}`,
    );
  }
  return port;
}

/** A whole number flag; `min` 0 lets 0 mean "no limit". */
export function parseCount(flag: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || !Number.isSafeInteger(n)) {
    const least = min === 0 ? '≥ 0' : `above ${min - 1}`;
    throw new UsageError(`--${flag} must be a whole number ${least}, got ${JSON.stringify(text)}`);
  }
  return n;
}

export function parseTimeout(text: string | undefined, flag = 'query.timeout'): number | undefined {
  return parsePositiveDuration(flag, '30s or 2m', text);
}

/** `--storage.retention`: how long samples are kept. */
export function parseRetention(text: string | undefined): number | undefined {
  return parsePositiveDuration('storage.retention', '15d or 90d', text);
}

function parsePositiveDuration(flag: string, example: string, text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
  } catch {
    // worded below
  }
  throw new UsageError(
    `--${flag} must be a positive duration like ${example}, got ${JSON.stringify(text)}`,
  );
}

/** An `http:` or `https:` URL, without a trailing slash. */
export function parseExternalUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(
      `--web.external-url must be an http or https URL, got ${JSON.stringify(text)}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}
