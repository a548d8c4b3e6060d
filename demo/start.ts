/** `npm start`: the whole demo in one process — two e-file services (and a Python one when it can run), traffic, the KPI server, the agency page, a mail sink. */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../src/server/compose/start-server.js';
import { errorMessage } from '../src/shared/error-message.js';
import { runAutoscaler } from './autoscaler.js';
import { DemoShutdown } from './demo-shutdown.js';
import { withoutIntake } from './intake-policy.js';
import { type Listening, listen } from './listen.js';
import { createMailPage } from './mail/mail-page.js';
import { startMailSink } from './mail/mail-sink.js';
import { createPageServer } from './page-server.js';
import { DEMO_PORTS } from './ports.js';
import { createEfileService } from './services/create-efile-service.js';
import { createStatusService } from './services/create-status-service.js';
import { FilingLedger } from './services/filing-ledger.js';
import {
  type IntakeService,
  intakeServiceMissing,
  startIntakeService,
} from './services/intake-service.js';
import { type KnobSettings, Knobs, parseKnobFlags } from './services/knobs.js';
import { WorkerPool } from './services/worker-pool.js';
import { startTraffic } from './traffic.js';

const USAGE = `npm start [-- --error-rate 0.1] [--latency-ms 1500] [--rate 20] [--no-traffic]

  --error-rate F   share of requests the services fail (0..1), from the start: 503 from the
                   Hono ones, 500 from the Python intake
  --latency-ms N   extra milliseconds on every request
  --rate N         requests per second the traffic generator sends (default 20)
  --no-traffic     start without the traffic generator`;

function readArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'error-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      rate: { type: 'string', default: '20' },
      'no-traffic': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const knobs = parseKnobFlags(argv);
  const rate = Number(values.rate);
  if (!(rate > 0 && rate <= 1000))
    throw new Error(`--rate: expected 0 < N <= 1000, got ${values.rate}`);
  return { knobs, rate, traffic: !values['no-traffic'], help: values.help };
}

function printUrls(
  kpiUrl: string,
  efile: Listening,
  status: Listening,
  intake: IntakeService | undefined,
  page: Listening,
  mail: Listening,
  autoscalerLog: string,
): void {
  const python = intake
    ? `  Python intake   ${intake.url}/metrics  (FastAPI + prometheus_client; knobs: POST ${intake.url}/_knobs)\n`
    : '';
  console.log(`
kpi-lights demo is running (everything on 127.0.0.1; Ctrl-C stops it)

  agency page     ${page.url}/     (its lights: one script tag, ${kpiUrl}/embed.js)
  KPI API         ${kpiUrl}/api/v1/kpis     stream: ${kpiUrl}/api/v1/stream
  KPI server      ${kpiUrl}/metrics  ${kpiUrl}/healthz
  service metrics ${efile.url}/metrics  ${status.url}/metrics
  knobs           ${efile.url}/_knobs  ${status.url}/_knobs
${python}  alert mail      ${mail.url}/   (the SMTP sink on 127.0.0.1:${DEMO_PORTS.smtp} receives it)

  inject 10 % errors into e-file:
    curl -s -X POST ${efile.url}/_knobs -H 'content-type: application/json' -d '{"errorRate":0.1}'
  after 3 minutes at or above 3 % the on-call page mail arrives; clear it and the resolved mail follows:
    curl -s -X POST ${efile.url}/_knobs -H 'content-type: application/json' -d '{"errorRate":0,"extraLatencyMs":0}'

  autoscaler      resizes the e-file worker pool (${efile.url}/_knobs/workers) from the KPIs;
                  its decisions go to ${autoscalerLog}
    make it scale up: curl -s -X POST ${efile.url}/_knobs -H 'content-type: application/json' -d '{"extraLatencyMs":400}'
`);
}

/** The demo's services, each on its fixed port. */
interface Services {
  readonly efile: ReturnType<typeof createEfileService>;
  readonly efileServer: Listening;
  readonly statusServer: Listening;
  /** The Python intake service; undefined when this machine cannot run it. */
  readonly intake: IntakeService | undefined;
}

/** Starts the e-file and status services, and the Python intake when it can run. */
async function startServices(
  knobs: Partial<KnobSettings>,
  shutdown: DemoShutdown,
): Promise<Services> {
  const ledger = new FilingLedger();
  // Two workers carry normal traffic; injected latency holds them and queues filings.
  const pool = new WorkerPool(2);
  const efile = createEfileService({ ledger, knobs: new Knobs(knobs), pool });
  const status = createStatusService({ ledger, knobs: new Knobs(knobs) });
  const efileServer = await listen(efile.app, DEMO_PORTS.efile);
  shutdown.track('efile service', efileServer.close);
  const statusServer = await listen(status.app, DEMO_PORTS.status);
  shutdown.track('status service', statusServer.close);
  // The story's own kind of service, when this machine has Python with FastAPI.
  const missing = intakeServiceMissing();
  let intake: IntakeService | undefined;
  if (missing) {
    console.log(`no Python intake service: ${missing}; its lights are left out`);
  } else {
    intake = await startIntakeService({ port: DEMO_PORTS.intake });
    shutdown.track('intake service', () => intake?.close() ?? Promise.resolve());
    if (knobs.errorRate || knobs.extraLatencyMs) await intake.setKnobs(knobs);
  }
  return { efile, efileServer, statusServer, intake };
}

/** Starts the SMTP sink and the page that shows what it received. */
async function startMail(shutdown: DemoShutdown): Promise<Listening> {
  const sink = await startMailSink(DEMO_PORTS.smtp);
  shutdown.track('mail sink', sink.close);
  sink.onMail((m) => console.log(`[mail] ${m.subject}`));
  const mailPage = await listen(createMailPage(sink), DEMO_PORTS.mail);
  shutdown.track('mail page', mailPage.close);
  return mailPage;
}

/** Starts the KPI server on the demo policy, without the intake's target when it is absent. */
async function startKpiServer(
  kpiOrigin: string,
  dataDir: string,
  withIntake: boolean,
  shutdown: DemoShutdown,
): Promise<void> {
  let configPath = fileURLToPath(new URL('./kpi-lights.yaml', import.meta.url));
  if (!withIntake) {
    // A target that never runs would only show grey lights.
    const trimmed = join(dataDir, 'kpi-lights.without-intake.yaml');
    writeFileSync(trimmed, withoutIntake(readFileSync(configPath, 'utf8')));
    configPath = trimmed;
  }
  const kpiServer = await startServer({
    configPath,
    port: DEMO_PORTS.kpi,
    host: '127.0.0.1',
    dataDir,
    // The demo policy is a file in the project: a change made through the API stays in the data dir.
    writeBack: false,
    // An hour of samples covers every window the demo's queries use, several times over.
    headRetentionMs: 3_600_000,
  });
  shutdown.track('KPI server', () => kpiServer.close());
  // From a clone without a build the server builds /embed.js on first request; ask now, so
  // the page's first visit does not wait for it.
  void fetch(`${kpiOrigin}/embed.js`).then(
    (res) => res.arrayBuffer(),
    () => undefined,
  );
}

/** Starts the autoscaler of the e-file worker pool; returns the path of its decision log. */
function startAutoscaler(
  kpiOrigin: string,
  efileUrl: string,
  dataDir: string,
  shutdown: DemoShutdown,
): string {
  const autoscalerLog = join(dataDir, 'autoscaler.log');
  const logFile = createWriteStream(autoscalerLog, { flags: 'a' });
  const stopScaling = new AbortController();
  const scaling = runAutoscaler({
    kpiUrl: kpiOrigin,
    poolUrl: `${efileUrl}/_knobs/workers`,
    log: (line) => logFile.write(`${line}\n`),
    signal: stopScaling.signal,
  }).catch((err: unknown) => {
    if (!stopScaling.signal.aborted) logFile.write(`autoscaler stopped: ${String(err)}\n`);
  });
  shutdown.track('autoscaler', async () => {
    stopScaling.abort();
    await scaling;
    await new Promise<void>((done) => logFile.end(done));
  });
  return autoscalerLog;
}

/** Starts every part in order, each before the parts that need it, then prints where they are. */
async function startDemo(args: ReturnType<typeof readArgs>, shutdown: DemoShutdown) {
  const { efile, efileServer, statusServer, intake } = await startServices(args.knobs, shutdown);
  // The alert mail's way out: before the KPI server, so its first notice finds the sink up.
  const mailPage = await startMail(shutdown);
  const kpiOrigin = `http://127.0.0.1:${DEMO_PORTS.kpi}`;
  const page = await listen(createPageServer({ apiOrigin: kpiOrigin }), DEMO_PORTS.page);
  shutdown.track('page server', page.close);
  const dataDir = resolve('data', 'demo');
  mkdirSync(dataDir, { recursive: true });
  await startKpiServer(kpiOrigin, dataDir, intake !== undefined, shutdown);
  const autoscalerLog = startAutoscaler(kpiOrigin, efileServer.url, dataDir, shutdown);
  if (args.traffic) {
    shutdown.traffic = startTraffic({
      efileUrl: efileServer.url,
      statusUrl: statusServer.url,
      ...(intake && { intakeUrl: intake.url }),
      ratePerSecond: args.rate,
    });
  }
  printUrls(kpiOrigin, efileServer, statusServer, intake, page, mailPage, autoscalerLog);
  if (args.knobs.errorRate || args.knobs.extraLatencyMs) {
    console.log(`  started with faults: ${JSON.stringify(efile.knobs.settings)}\n`);
  }
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const shutdown = new DemoShutdown();
  shutdown.onSignals();
  try {
    await startDemo(args, shutdown);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'EADDRINUSE' ? ' (is another demo running? ports 8100-8106 are needed)' : '';
    console.error(`the demo could not start: ${errorMessage(err)}${hint}`);
    await shutdown.stopAll(1);
  }
}

main().catch((err: unknown) => {
  console.error(errorMessage(err));
  console.error(USAGE);
  process.exit(2);
});
