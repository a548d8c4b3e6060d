/** Starts the demo's Python e-file intake service (FastAPI + prometheus_client) as a child process, when Python has what it needs. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../src/shared/error-message.js';

/** The Python the demo and the tests use: Debian's, where python3-fastapi and friends live. */
export const DEFAULT_PYTHON = process.env.KPI_LIGHTS_PYTHON ?? '/usr/bin/python3';

const SCRIPT = fileURLToPath(new URL('./efile_intake.py', import.meta.url));
const MODULES = ['fastapi', 'uvicorn', 'prometheus_client'];
/** Importing FastAPI on a busy machine takes seconds; past this the start is called failed. */
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

/**
 * Why the intake service cannot run here, or `undefined` when it can: Python and its three
 * modules (Debian: `python3-fastapi python3-uvicorn python3-prometheus-client`).
 *
 * @example
 * ```ts
 * const missing = intakeServiceMissing();
 * if (missing) console.log(`no Python service: ${missing}`);
 * ```
 */
export function intakeServiceMissing(python = DEFAULT_PYTHON): string | undefined {
  const probe = spawnSync(python, ['-c', `import ${MODULES.join(', ')}`], {
    encoding: 'utf8',
    timeout: START_TIMEOUT_MS,
  });
  if (probe.error) return `${python} does not run: ${errorMessage(probe.error)}`;
  if (probe.status !== 0) {
    const why = probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`;
    return `${python} lacks ${MODULES.join(', ')} (${why}); on Debian: apt-get install python3-fastapi python3-uvicorn python3-prometheus-client`;
  }
  return undefined;
}

/** A running intake service. */
export interface IntakeService {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Sets its knobs: `{ errorRate, extraLatencyMs }`; an error rate of 0.1 fails exactly one request in ten. */
  setKnobs(knobs: { errorRate?: number; extraLatencyMs?: number }): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not stopped within three seconds. */
  close(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts `efile_intake.py` on 127.0.0.1 (port 0: a free one) and resolves once it listens.
 * Rejects, with what Python printed, if it exits or stays silent for twenty seconds.
 *
 * @example
 * ```ts
 * const intake = await startIntakeService({ port: 0 });
 * await fetch(`${intake.url}/filings`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
 * await intake.close();
 * ```
 */
export async function startIntakeService(
  options: { port?: number; python?: string } = {},
): Promise<IntakeService> {
  const child = spawn(
    options.python ?? DEFAULT_PYTHON,
    [SCRIPT, '--port', String(options.port ?? 0)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the intake service did not start within ${START_TIMEOUT_MS} ms: ${output}`),
      );
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output = `${output}${chunk.toString('utf8')}`.slice(-4_000);
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the intake service exited (${signal ?? code}): ${output.trim()}`));
    });
  });
  return {
    url,
    async setKnobs(knobs) {
      const res = await fetch(`${url}/_knobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(knobs),
      });
      if (!res.ok) throw new Error(`intake knobs: ${res.status} ${await res.text()}`);
    },
    async close() {
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
