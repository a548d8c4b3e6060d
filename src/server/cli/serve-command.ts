/** `kpi-lights serve`: starts the server, prints what it does, and stops on SIGTERM or SIGINT. */

import { join } from 'node:path';
import { formatDuration } from '../../shared/duration.js';
import { errorMessage } from '../../shared/error-message.js';
import { redactUrlSecrets } from '../../shared/url-secrets.js';
import type { ServerHandle } from '../compose/start-server.js';
import { formatIssue, PolicyError } from '../policy/index.js';
import type { ReloadOutcome } from '../policy/policy-governance.js';
import { MAX_READERS } from '../store/share/head-share.js';
import type { CliIo } from './cli-io.js';
import {
  type CliValues,
  parseCount,
  parseExternalUrl,
  parsePort,
  parseRetention,
  parseTimeout,
  requireConfig,
  UsageError,
  version,
} from './usage.js';
import { printIssues } from './validate-command.js';

/** Starts serving; resolves with the exit code once a signal has stopped the server. */
export async function serveCommand(values: CliValues, io: CliIo): Promise<number> {
  const configPath = requireConfig(values.config, 'serve');
  const port = parsePort(values.port);
  const options = {
    configPath,
    port,
    host: values.host,
    dataDir: values['data-dir'],
    maxSeries: parseCount('max-series', values['max-series'], 0),
    storageRetentionMs: parseRetention(values['storage.retention']),
    queryTimeoutMs: parseTimeout(values['query.timeout']),
    queryMaxConcurrency: parseCount('query.max-concurrency', values['query.max-concurrency']),
    queryWorkers: parseQueryWorkers(values['query.workers']),
    queryMaxSamples: parseCount('query.max-samples', values['query.max-samples']),
    queryMaxResultBytes: parseCount('query.max-result-bytes', values['query.max-result-bytes']),
    http: {
      maxConnections: parseCount('http.max-connections', values['http.max-connections'], 0),
      maxConnectionsPerClient: parseCount(
        'http.max-connections-per-client',
        values['http.max-connections-per-client'],
        0,
      ),
      maxStreams: parseCount('http.max-streams', values['http.max-streams'], 0),
      maxStreamsPerClient: parseCount(
        'http.max-streams-per-client',
        values['http.max-streams-per-client'],
        0,
      ),
      headersTimeoutMs: parseTimeout(values['http.header-timeout'], 'http.header-timeout'),
    },
    resendDelayMs: parseTimeout(values['rules.alert.resend-delay'], 'rules.alert.resend-delay'),
    externalUrl: parseExternalUrl(values['web.external-url']),
  };
  // Loaded only here: `validate` and `--help` need neither SQLite nor the engine.
  const { startServer } = await import('../compose/start-server.js');
  let server: ServerHandle;
  try {
    server = await startServer(options);
  } catch (err) {
    if (err instanceof PolicyError) {
      printIssues(io, err.issues);
      io.err(`kpi-lights: not started, ${configPath} has problems`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      io.err(`kpi-lights: cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${code}`);
      return 1;
    }
    throw err;
  }
  // Signals are heard before the startup lines go out: whoever waits for them may signal at once.
  const stopped = stopOnSignals(server, io);
  printStartup(server, values, io);
  return stopped;
}

function stopOnSignals(server: ServerHandle, io: CliIo): Promise<number> {
  return new Promise<number>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      io.out(`kpi-lights: ${signal}, shutting down`);
      // A second signal means "now": do not make the operator wait on a stuck close.
      process.once(signal, () => process.exit(1));
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          io.err(`kpi-lights: shutdown failed: ${errorMessage(err)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    process.on('SIGHUP', () => {
      server.app.reload({ author: 'SIGHUP', reason: 'reloaded on SIGHUP' }).then(
        (outcome) => io.out(`kpi-lights: SIGHUP: ${describeReload(outcome)}`),
        (err: unknown) => io.err(`kpi-lights: SIGHUP: reload failed: ${errorMessage(err)}`),
      );
    });
  });
}

function printStartup(server: ServerHandle, values: CliValues, io: CliIo): void {
  const running = server.app.current();
  io.out(`kpi-lights ${version()} listening on ${server.url}`);
  io.out(
    `  policy ${values.config}, version ${running.version.version} (${running.version.hash.slice(0, 12)})`,
  );
  io.out(`  data in ${values['data-dir'] ?? 'data'}`);
  const targets = server.targets();
  const { source } = running.policy;
  if (source.kind === 'prometheus') {
    // Where it goes, never how it logs in: headers and a URL's user info may be credentials.
    const url = new URL(source.url);
    io.out(`  querying ${url.origin}${url.pathname}; scraping is off`);
  } else {
    const { retentionMs } = running.policy.storage;
    const samples = join(values['data-dir'] ?? 'data', 'samples');
    io.out(`  samples kept ${formatDuration(retentionMs)} in ${samples}`);
    if (targets.length === 0) io.out('  no targets to scrape');
  }
  for (const t of targets)
    io.out(`  scraping ${redactUrlSecrets(t.url)} (job ${t.job}) every ${t.intervalMs / 1000}s`);
  io.out(
    `  ${running.policy.kpis.length} KPIs, evaluated every ${running.policy.evaluation.intervalMs / 1000}s`,
  );
}

/** One line about a reload's end, for the operator who sent SIGHUP. */
function describeReload(outcome: ReloadOutcome): string {
  if (outcome.ok && 'proposal' in outcome) {
    return `the two-person rule is in force: proposal ${outcome.proposal.id} awaits a token's approval (POST /api/v1/policy/proposals/${outcome.proposal.id}/approve); version ${outcome.proposal.baseVersion} stays in force`;
  }
  if (!outcome.ok) {
    const issues = (outcome.issues ?? []).map((i) => `\n  ${formatIssue(i)}`).join('');
    return `${outcome.detail}; version ${outcome.current.version} stays in force${issues}`;
  }
  return `policy version ${outcome.version.version} in force`;
}

/** `--query.workers`: 1 up to what the head's share has room for (one reader is the KPI lane). */
function parseQueryWorkers(text: string | undefined): number | undefined {
  const n = parseCount('query.workers', text);
  if (n !== undefined && n > MAX_READERS - 1) {
    throw new UsageError(`--query.workers must be at most ${MAX_READERS - 1}, got ${n}`);
  }
  return n;
}
