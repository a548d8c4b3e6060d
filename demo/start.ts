/** `npm start`: the whole demo in one process — two e-file services (and a Python one when it can run), traffic, the KPI server, the agency page, a mail sink. */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../src/server/compose/start-server.js';
import { errorMessage } from '../src/shared/error-message.js';
import { runAutoscaler } from './autoscaler.js';
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
import { Knobs, parseKnobFlags } from './services/knobs.js';
import { WorkerPool } from './services/worker-pool.js';
import { startTraffic, type Traffic } from './traffic.js';

const USAGE = `npm start [-- --error-rate 0.1] [--latency-ms 1500] [--rate 20] [--no-traffic]

  --error-rate F   share of requests the services fail (0..1), from the start: 503 from the
                   Hono ones, 500 from the Python intake
  --latency-ms N   extra milliseconds on every request
  --rate N         requests per second the traffic generator sends (default 20)
  --no-traffic     start without the traffic generator`;

interface Running {
  readonly name: string;
  close(): Promise<void>;
}

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

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const running: Running[] = [];
  let traffic: Traffic | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the demo…');
    await traffic?.stop();
    // Last started, first stopped: the KPI server goes before the services it scrapes.
    for (const r of running.reverse()) {
      await r.close().catch((err: unknown) => console.error(`${r.name}: ${String(err)}`));
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C means the clean stop is stuck: leave at once.
      if (stopping) process.exit(130);
      void stopAll(0);
    });
  }

  try {
    const ledger = new FilingLedger();
    // Two workers carry normal traffic; injected latency holds them and queues filings.
    const pool = new WorkerPool(2);
    const efile = createEfileService({ ledger, knobs: new Knobs(args.knobs), pool });
    const status = createStatusService({ ledger, knobs: new Knobs(args.knobs) });
    const efileServer = await listen(efile.app, DEMO_PORTS.efile);
    running.push({ name: 'efile service', close: efileServer.close });
    const statusServer = await listen(status.app, DEMO_PORTS.status);
    running.push({ name: 'status service', close: statusServer.close });
    // The story's own kind of service, when this machine has Python with FastAPI.
    const missing = intakeServiceMissing();
    let intake: IntakeService | undefined;
    if (missing) {
      console.log(`no Python intake service: ${missing}; its lights are left out`);
    } else {
      intake = await startIntakeService({ port: DEMO_PORTS.intake });
      running.push({ name: 'intake service', close: () => intake?.close() ?? Promise.resolve() });
      if (args.knobs.errorRate || args.knobs.extraLatencyMs) await intake.setKnobs(args.knobs);
    }

    // The alert mail's way out: before the KPI server, so its first notice finds the sink up.
    const sink = await startMailSink(DEMO_PORTS.smtp);
    running.push({ name: 'mail sink', close: sink.close });
    sink.onMail((m) => console.log(`[mail] ${m.subject}`));
    const mailPage = await listen(createMailPage(sink), DEMO_PORTS.mail);
    running.push({ name: 'mail page', close: mailPage.close });

    const kpiOrigin = `http://127.0.0.1:${DEMO_PORTS.kpi}`;
    const page = await listen(createPageServer({ apiOrigin: kpiOrigin }), DEMO_PORTS.page);
    running.push({ name: 'page server', close: page.close });

    const dataDir = resolve('data', 'demo');
    mkdirSync(dataDir, { recursive: true });
    let configPath = fileURLToPath(new URL('./kpi-lights.yaml', import.meta.url));
    if (!intake) {
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
    running.push({ name: 'KPI server', close: () => kpiServer.close() });
    // From a clone without a build the server builds /embed.js on first request; ask now, so
    // the page's first visit does not wait for it.
    void fetch(`${kpiOrigin}/embed.js`).then(
      (res) => res.arrayBuffer(),
      () => undefined,
    );

    const autoscalerLog = join(dataDir, 'autoscaler.log');
    const logFile = createWriteStream(autoscalerLog, { flags: 'a' });
    const stopScaling = new AbortController();
    const scaling = runAutoscaler({
      kpiUrl: kpiOrigin,
      poolUrl: `${efileServer.url}/_knobs/workers`,
      log: (line) => logFile.write(`${line}\n`),
      signal: stopScaling.signal,
    }).catch((err: unknown) => {
      if (!stopScaling.signal.aborted) logFile.write(`autoscaler stopped: ${String(err)}\n`);
    });
    running.push({
      name: 'autoscaler',
      close: async () => {
        stopScaling.abort();
        await scaling;
        await new Promise<void>((done) => logFile.end(done));
      },
    });

    if (args.traffic) {
      traffic = startTraffic({
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
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'EADDRINUSE' ? ' (is another demo running? ports 8100-8106 are needed)' : '';
    console.error(`the demo could not start: ${errorMessage(err)}${hint}`);
    await stopAll(1);
  }
}

main().catch((err: unknown) => {
  console.error(errorMessage(err));
  console.error(USAGE);
  process.exit(2);
});
