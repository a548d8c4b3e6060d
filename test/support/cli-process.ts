/** The `kpi-lights` command as a child process: its output, exit, and the URL `serve` prints. */
import { type ChildProcess, spawn } from 'node:child_process';

/** How a finished run ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** npm may warn about the machine's own npmrc on stderr; that is not the command's output. */
const withoutNpmNoise = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^npm (warn|notice)/.test(line))
    .join('\n');

/**
 * Runs the CLI: with `npx tsx` (as a user would), with tsx itself when SIGTERM must reach the
 * server (npm exec does not pass it on), or as one node process with tsx's loader when any
 * signal must (SIGHUP: tsx passes on only SIGINT and SIGTERM).
 *
 * @example
 * ```ts
 * const run = await runCli(['validate', '-c', 'kpi-lights.yaml']).done;
 * ```
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  via: 'npx' | 'tsx' | 'node' = 'npx',
): { child: ChildProcess; done: Promise<CliRun> } {
  const [command, ...pre] =
    via === 'npx'
      ? ['npx', 'tsx']
      : via === 'tsx'
        ? ['node_modules/.bin/tsx']
        : [process.execPath, '--import', 'tsx'];
  const child = spawn(command, [...pre, 'src/server/cli/cli.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can stop the server tsx started, too.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr: withoutNpmNoise(stderr) }),
    );
  });
  return { child, done };
}

/** Waits for `serve`'s startup lines and answers the URL it listens on. */
export function servedUrl(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no startup line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*KPIs, evaluated/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}
