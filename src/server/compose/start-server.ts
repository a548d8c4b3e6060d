/** Builds every part of a KPI server from a policy file and a data folder, and serves it over HTTP. */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { collectProcessMetrics } from '../../exporter/process-metrics.js';
import { formatDuration } from '../../shared/duration.js';
import { DEFAULT_RESEND_DELAY_MS } from '../alerts/alertmanager-forwarder.js';
import { type AlertCore, createAlerting, realChannels } from '../alerts/index.js';
import { openDatabase, type ServerDatabase } from '../database/index.js';
import type { EngineWorkerHost } from '../engine-worker/engine-worker-host.js';
import { KpiHistoryStore } from '../history/index.js';
import type { ConnectionLimits } from '../http/connection-guard.js';
import { registerConnectionMetrics } from '../http/connection-metrics.js';
import type { KpiEvaluator } from '../kpi/index.js';
import { displayPath } from '../policy/display-path.js';
import { formatIssue, loadPolicyFile, PolicyVersionStore, parsePolicy } from '../policy/index.js';
import { scrapeTargetsOf } from '../policy/scrape-targets.js';
import type { Policy } from '../policy/types.js';
import { writePolicyFile } from '../policy/write-policy-file.js';
import type { ScrapeControl, ScrapeTarget } from '../scrape/index.js';
import type { QuerySource } from '../source/index.js';
import type { MemoryHead } from '../store/index.js';
import { createApp, type KpiLightsApp } from './app.js';
import { createEngineParts, type EngineParts, type EnginePartsOptions } from './engine-parts.js';
import { createKpiCore } from './kpi-core.js';
import { listenGuarded } from './listen-guarded.js';
import type { RunningPolicy } from './policy-reload.js';
import { createPrometheusParts } from './prometheus-parts.js';
import { redactedReport } from './redacted-report.js';
import { startPolicy } from './start-policy.js';

/** Options of {@link startServer}. Only `configPath` is required. */
export interface StartServerOptions {
  /** The policy file. */
  readonly configPath: string;
  /** Port to listen on; 0 picks a free one. Default 8100. */
  readonly port?: number;
  /** Address to listen on. Default `127.0.0.1` (not the network, until asked). */
  readonly host?: string;
  /** Where the SQLite file (history, policy versions) and the samples (`samples/`) live. Default `./data`. */
  readonly dataDir?: string;
  /** How long full chunks of scraped samples stay in memory besides on disk, ms. Default 2 h. */
  readonly headRetentionMs?: number;
  /**
   * How long samples are kept on disk, ms (`--storage.retention`); wins over the policy's
   * `storage.retention`, and the policy's windows are checked against it. Default the policy's.
   */
  readonly storageRetentionMs?: number;
  /** Most series in memory, all targets together; 0 = no limit. Default 500 000 (`DEFAULT_MAX_SERIES`). */
  readonly maxSeries?: number;
  /** Write an accepted `PUT /api/v1/policy` back to `configPath`, so a restart keeps it. Default true. */
  readonly writeBack?: boolean;
  /** Export Node's process metrics on `/metrics` too. Default true. */
  readonly processMetrics?: boolean;
  /**
   * Run scraping, the head and the PromQL engine in a worker thread, so no query or scrape
   * holds up a reader. Default true; false keeps everything on the main thread.
   */
  readonly engineWorker?: boolean;
  /** Time limit of a query, and the most a query API request may ask (`--query.timeout`), ms. Default 120 000. */
  readonly queryTimeoutMs?: number;
  /** API queries evaluated at once; the rest wait (`--query.max-concurrency`). Default 20. */
  readonly queryMaxConcurrency?: number;
  /**
   * Query workers for the API (`--query.workers`); the KPI and alert rounds have one more of
   * their own. Default one less than the cores, 1 to 4.
   */
  readonly queryWorkers?: number;
  /** Samples one query may hold (`--query.max-samples`). Default 50 000 000. */
  readonly queryMaxSamples?: number;
  /**
   * Bytes a query's labels and answer may take (`--query.max-result-bytes`), and a Prometheus
   * source's answer bodies. Default 32 MiB.
   */
  readonly queryMaxResultBytes?: number;
  /**
   * Connection and stream limits: caps per client address and in total, header and request
   * timeouts (`--http.*`). Defaults in `ConnectionLimits` and `HttpLimits`.
   */
  readonly http?: HttpLimits;
  /** How often a firing alert is sent to Alertmanager again (`--rules.alert.resend-delay`), ms. Default 60 000. */
  readonly resendDelayMs?: number;
  /**
   * Where readers reach this server (`--web.external-url`), no trailing slash: forwarded alerts
   * link to themselves there (`generatorURL`). Default `http://<host>:<port>` as it listens.
   */
  readonly externalUrl?: string;
  /** Where warnings (a failed write-back, request errors) go. Default `console.error`. */
  readonly report?: (message: string, err?: unknown) => void;
}

/** `--http.*`: the connection guard's limits, and the event stream's caps. */
export interface HttpLimits extends ConnectionLimits {
  /** Most event streams open at once (`--http.max-streams`); 0 = no cap. Default 512. */
  readonly maxStreams?: number;
  /** Most event streams from one client address (`--http.max-streams-per-client`). Default 64. */
  readonly maxStreamsPerClient?: number;
}

/** A running server. */
export interface ServerHandle {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly app: KpiLightsApp;
  readonly evaluator: KpiEvaluator;
  /** The scraper: in the engine worker, or a `ScrapeManager` in this thread. */
  readonly scrape: ScrapeControl;
  /** The head, when it lives in this thread (`engineWorker: false`). */
  readonly head?: MemoryHead;
  /** The engine worker's host, when there is one: its state, restarts, `kill()` for drills. */
  readonly engine?: EngineWorkerHost;
  readonly history: KpiHistoryStore;
  readonly versions: PolicyVersionStore;
  readonly database: ServerDatabase;
  /** The alert core: current alerts, `onAlert`, silences. */
  readonly alerts: AlertCore;
  /** The targets being scraped, in policy order. */
  targets(): ScrapeTarget[];
  /** Closes streams and connections, stops the loops, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Where warnings go when the caller does not say. */
function reportToConsole(message: string, err?: unknown): void {
  console.error(message, err ?? '');
}

/** Closes the server, giving open requests a moment before their sockets are cut. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Starts a KPI server: loads the policy (throws `PolicyError` with `file:line:col` issues),
 * opens `<dataDir>/kpi-lights.db`, records the policy as a version (the same text keeps its
 * number across restarts; a file changed meanwhile is the next version, authored `file`),
 * scrapes the policy's targets into a head, evaluates KPIs with the embedded PromQL engine (or,
 * with `source: { prometheus }`, asks that Prometheus and scrapes nothing), and serves the API.
 *
 * @example
 * ```ts
 * const server = await startServer({ configPath: 'kpi-lights.yaml', port: 8100 });
 * console.log(`listening on ${server.url}`);
 * process.once('SIGTERM', () => server.close());
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const { configPath } = options;
  // Logs never quote a URL's password or token, whoever reports.
  const report = redactedReport(options.report ?? reportToConsole);
  const loaded = loadPolicyFile(configPath, {
    onWarning: (issue) => report(`policy warning: ${formatIssue(issue)}`),
    storageRetentionMs: options.storageRetentionMs,
  });
  const dataDir = options.dataDir ?? 'data';
  const database = openDatabase(dataDir);
  const cleanups: (() => unknown)[] = [() => database.close()];
  try {
    const versions = new PolicyVersionStore(database);
    // Readers see the file by a relative name (in reasons and refused PUTs), never where it lives.
    const shownPath = displayPath(configPath);
    // Under the two-person rule, a file changed while the server was down waits for approval.
    const start = startPolicy(loaded, versions, (text) =>
      parsePolicy(text, shownPath, { storageRetentionMs: options.storageRetentionMs }),
    );
    const history = new KpiHistoryStore(database, {
      retentionMs: start.policy.history.retentionMs,
    });
    let app: KpiLightsApp | undefined;
    let listening = `${options.host ?? '127.0.0.1'}:${options.port ?? 8100}`;
    const engine = await createEngine(options, start.policy, dataDir, {
      onScrape: (scraped, job) => app?.metrics.observeScrape(scraped, job),
      report,
    });
    // The engine stops after the loops that use it, and before the database.
    cleanups.unshift(() => engine.close());
    const policy = recordLoaded(versions, start.text, start.policy, shownPath);
    const { kpiSource, scrape, head } = engine;
    // Alerts judge each KPI round's readings (and ask their queries) at the round's time, in
    // the rounds' own lane: never queued behind the API's queries.
    const alerts = createAlerts(options, database, policy, kpiSource, () => listening, report);
    // Who hears a reading is written down once, in kpi-core.ts.
    const { evaluator, hub, retell } = createKpiCore({
      source: kpiSource,
      history,
      policy: policy.policy,
      policyVersion: policy.version.version,
      alerts,
      intervalMs: () =>
        app?.current().policy.evaluation.intervalMs ?? policy.policy.evaluation.intervalMs,
      queryTimeoutMs: options.queryTimeoutMs,
      streamCaps: {
        maxClients: options.http?.maxStreams,
        maxClientsPerAddress: options.http?.maxStreamsPerClient,
      },
      report,
    });
    app = createServedApp({
      options,
      policy,
      versions,
      history,
      evaluator,
      hub,
      alerts,
      engine,
      database,
      report,
      listening: () => listening,
    });
    if (start.fileHeld) await reportHeldFile(app, shownPath, policy.version.version, report);
    const running = app;
    const server = await listenAndStart(running, alerts, options, report);
    // Streams end first (the server cannot close while they are open), then requests drain,
    // then the loops stop, then the engine, and the database closes last, after the last
    // history write.
    cleanups.unshift(
      () => retell.stop(),
      () => running.hub.close(),
      () => closeServer(server, 2_000),
      () => running.stop(),
      // After the evaluator: its last round's alert round is queued by then.
      () => alerts.stop(),
    );
    const { url, port, address } = whereListening(server);
    listening = address;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      app: running,
      evaluator,
      scrape,
      head,
      engine: engine.worker,
      history,
      versions,
      database,
      alerts,
      targets: () => scrape.targets(),
      close: () => (closing ??= runCleanups(cleanups)),
    };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

/**
 * Records the loaded text as a policy version, once everything that can refuse the policy has
 * taken it (the scraper its targets, the source its URL): a start that fails leaves no version,
 * and so no secret of a text that never ran, in the history readers see. The file is an author
 * like any token: text it changed while the server was down is the next version; the same
 * text as the version in force keeps that version.
 */
function recordLoaded(
  versions: PolicyVersionStore,
  text: string,
  policy: Policy,
  shownPath: string,
): RunningPolicy {
  const version = versions.record(text, {
    author: 'file',
    reason: `loaded from ${shownPath}`,
    action: 'load',
  });
  return { file: shownPath, text, policy, version };
}

/** The alert core over the policy's rules; forwarded alerts link back to this server. */
function createAlerts(
  options: StartServerOptions,
  database: ServerDatabase,
  policy: RunningPolicy,
  source: QuerySource,
  listening: () => string,
  report: (message: string, err?: unknown) => void,
): AlertCore {
  return createAlerting({
    database,
    policy: policy.policy,
    policyVersion: policy.version.version,
    source,
    send: realChannels(),
    forwarding: {
      resendDelayMs: options.resendDelayMs,
      alertUrl: (a) => `${options.externalUrl ?? `http://${listening()}`}/api/v1/alerts/${a.id}`,
    },
    report,
  });
}

/** Where a listening server is reached: its URL (IPv6 hosts bracketed), port, and `address:port`. */
function whereListening(server: Server): { url: string; port: number; address: string } {
  const { address, family, port } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, port, address: `${address}:${port}` };
}

/**
 * The engine the policy's source asks for: with a Prometheus source, Prometheus scrapes and
 * evaluates (no worker, no head here); otherwise the scraper, head and PromQL engine.
 */
function createEngine(
  options: StartServerOptions,
  policy: Policy,
  dataDir: string,
  hooks: Pick<EnginePartsOptions, 'onScrape' | 'report'>,
): Promise<EngineParts> | EngineParts {
  const setting = policy.source;
  if (setting.kind === 'prometheus') {
    return createPrometheusParts(setting, { maxBodyBytes: options.queryMaxResultBytes });
  }
  return createEngineParts({
    worker: options.engineWorker !== false,
    targets: scrapeTargetsOf(policy),
    headRetentionMs: options.headRetentionMs,
    // Replayed before the engine is ready: the first round reads values, not `unknown`.
    storage: {
      dir: join(dataDir, 'samples'),
      retentionMs: policy.storage.retentionMs,
      maxBytes: policy.storage.maxBytes,
    },
    maxSeries: options.maxSeries,
    maxSamples: options.queryMaxSamples,
    maxResultBytes: options.queryMaxResultBytes,
    maxConcurrency: options.queryMaxConcurrency,
    queryWorkers: options.queryWorkers,
    ...hooks,
  });
}

/** Listens (behind the connection guard), then starts the app's loops and the alerts. */
async function listenAndStart(
  app: KpiLightsApp,
  alerts: AlertCore,
  options: StartServerOptions,
  report: (message: string, err?: unknown) => void,
): Promise<Server> {
  if (options.processMetrics !== false) collectProcessMetrics(app.metrics.registry);
  const { server, guard } = await listenGuarded({
    fetch: app.app.fetch,
    port: options.port ?? 8100,
    host: options.host ?? '127.0.0.1',
    limits: options.http,
    report,
  });
  registerConnectionMetrics(app.metrics.registry, () => guard.stats());
  app.start();
  alerts.start();
  return server;
}

/** What {@link createServedApp} wires into the app. */
interface ServedAppParts {
  readonly options: StartServerOptions;
  readonly policy: RunningPolicy;
  readonly versions: PolicyVersionStore;
  readonly history: KpiHistoryStore;
  readonly evaluator: KpiEvaluator;
  readonly hub: KpiLightsApp['hub'];
  readonly alerts: AlertCore;
  readonly engine: EngineParts;
  readonly database: ServerDatabase;
  readonly report: (message: string, err?: unknown) => void;
  /** The address, known once the server listens. */
  readonly listening: () => string;
}

/** The HTTP app over the running parts; an accepted policy goes to the alerts and back to the file. */
function createServedApp(parts: ServedAppParts): KpiLightsApp {
  const { options, alerts, engine, report } = parts;
  const { configPath } = options;
  return createApp({
    policy: parts.policy,
    versions: parts.versions,
    history: parts.history,
    evaluator: parts.evaluator,
    hub: parts.hub,
    // Serves /alerts and /silences, and tells the stream each alert change.
    alerting: alerts,
    outboxStats: () => alerts.outbox.stats(),
    scrape: engine.scrape,
    source: engine.source,
    reader: engine.reader,
    // Flags are read at each request, so they carry the address the server listens on.
    serverFlags: () => serverFlags(options, parts.listening()),
    headRetention: formatDuration(options.headRetentionMs ?? DEFAULT_HEAD_RETENTION_MS),
    exportSamples: engine.exportPage?.bind(engine),
    queryTimeoutMs: options.queryTimeoutMs,
    queryResultLimits: {
      maxSamples: options.queryMaxSamples,
      maxBytes: options.queryMaxResultBytes,
    },
    headStats: engine.headStats?.bind(engine),
    readiness: engine.readiness,
    database: parts.database,
    report,
    readPolicyFile: () => readFileSync(configPath, 'utf8'),
    storageRetentionMs: options.storageRetentionMs,
    onPolicyAccepted: (next) => {
      alerts.setPolicy(next.policy, next.version.version);
      if (options.writeBack === false) return;
      try {
        writePolicyFile(configPath, next.text);
      } catch (err) {
        report(
          `policy version ${next.version.version} runs, but ${configPath} could not be updated; a restart will load the file as it is:`,
          err,
        );
      }
    },
  });
}

/**
 * A file changed while the server was down, under the two-person rule: the gate makes (or
 * finds) its proposal, as a reload under the rule does, and the operator is told which.
 */
async function reportHeldFile(
  app: KpiLightsApp,
  shownPath: string,
  running: number,
  report: (message: string) => void,
): Promise<void> {
  const outcome = await app.reload({
    author: 'file',
    reason: `${shownPath} changed while the server was down`,
  });
  const told =
    outcome.ok && 'proposal' in outcome
      ? `it is proposal ${outcome.proposal.id}, awaiting another token's approval`
      : outcome.ok
        ? `it is version ${outcome.version.version}`
        : `it was refused: ${outcome.detail}`;
  report(
    `${shownPath} differs from version ${running}, which the two-person rule approved: running version ${running}; ${told}`,
  );
}

/** How long the head keeps samples when not told: two hours, as Prometheus's head block. */
const DEFAULT_HEAD_RETENTION_MS = 2 * 60 * 60 * 1000;

/**
 * The server's settings under Prometheus's flag names, for `status/flags`: what a Prometheus
 * user would look for (the query limits, retention, listen address) with kpi-lights's values.
 */
function serverFlags(options: StartServerOptions, address: string): Record<string, string> {
  return {
    'query.timeout': formatDuration(options.queryTimeoutMs ?? 120_000),
    'query.max-concurrency': String(options.queryMaxConcurrency ?? 20),
    'query.max-samples': String(options.queryMaxSamples ?? 50_000_000),
    'query.lookback-delta': '5m',
    'storage.tsdb.retention.time': formatDuration(
      options.headRetentionMs ?? DEFAULT_HEAD_RETENTION_MS,
    ),
    'web.listen-address': address,
    'rules.alert.resend-delay': formatDuration(options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS),
    'web.external-url': options.externalUrl ?? `http://${address}`,
  };
}

/** Runs shutdown steps in order; one failing does not keep the database open. */
async function runCleanups(steps: readonly (() => unknown)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Shutting down: the next steps matter more than this one's error.
    }
  }
}
