/** The `kpi-lights` command, run as a user runs it: a child process, its output and exit code. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

interface Run {
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
 * Runs the CLI with `npx tsx`, or with tsx itself when signals must reach the server: npm exec
 * does not pass a SIGTERM on to its child, while tsx does.
 */
function cli(
  args: string[],
  env: Record<string, string> = {},
  via: 'npx' | 'tsx' = 'npx',
): { child: ChildProcess; done: Promise<Run> } {
  const [command, ...pre] = via === 'npx' ? ['npx', 'tsx'] : ['node_modules/.bin/tsx'];
  const child = spawn(command, [...pre, 'src/server/cli.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can stop the server tsx started, too.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr: withoutNpmNoise(stderr) }),
    );
  });
  return { child, done };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

describe('kpi-lights validate', () => {
  it('prints every issue as file:line:col field: message and exits 1', async () => {
    const run = await cli(['validate', '--config', 'test/fixtures/policies/bad-types.yaml']).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        'test/fixtures/policies/bad-types.yaml:2:30 scrape.limits.body_size_limit: expected a size like 10MB or a whole number of bytes, got "lots"',
        'test/fixtures/policies/bad-types.yaml:2:50 scrape.limits.sample_limit: must not be negative',
        'test/fixtures/policies/bad-types.yaml:4:3 targets: expected a list, got a mapping',
        'test/fixtures/policies/bad-types.yaml:7:12 kpis[0].title: must not be empty',
        'test/fixtures/policies/bad-types.yaml:9:11 kpis[0].unit: expected one of percent, ratio, seconds, milliseconds, count, per_second, bytes, got "percnt" (did you mean "percent"?)',
        'test/fixtures/policies/bad-types.yaml:10:17 kpis[0].thresholds.critical: is required',
        'test/fixtures/policies/bad-types.yaml:11:5 kpis[1]: expected a mapping, got "just a string"',
        'test/fixtures/policies/bad-types.yaml:15:11 alerts[0].when: expected one of warning, critical, got "red"',
        'test/fixtures/policies/bad-types.yaml:17:13 alerts[0].notify: expected a list, got "oncall"',
        'test/fixtures/policies/bad-types.yaml: 9 problems',
        '',
      ].join('\n'),
    );
  });

  it('says what a good file holds and exits 0', async () => {
    const run = await cli(['validate', '-c', 'test/fixtures/policies/good-full.yaml'], {
      KPI_LIGHTS_DEPLOY_TOKEN: 'deploy-token-from-env-0123456',
    }).done;
    expect([run.code, run.stdout]).toEqual([
      0,
      'test/fixtures/policies/good-full.yaml is valid: 2 targets, 2 KPIs, 2 alerts\n',
    ]);
  });

  it('explains a wrong command line and prints the version', async () => {
    const [missing, version] = await Promise.all([cli(['validate']).done, cli(['--version']).done]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'kpi-lights: validate needs --config FILE\nRun "kpi-lights --help" for usage.\n',
    ]);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect([version.code, version.stdout]).toEqual([0, `${pkg.version}\n`]);
  });
});

describe('kpi-lights serve', () => {
  it('refuses a bad policy with its issues, no stack trace, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const run = await cli([
      'serve',
      '--config',
      'test/fixtures/policies/bad-types.yaml',
      '--data-dir',
      dir,
    ]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'test/fixtures/policies/bad-types.yaml:4:3 targets: expected a list, got a mapping\n',
    );
    expect(run.stderr).toContain(
      'kpi-lights: not started, test/fixtures/policies/bad-types.yaml has problems',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('says what it listens on and scrapes, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      config,
      `targets:
  - url: http://127.0.0.1:9/metrics
    labels: { service: efile }
kpis:
  - { id: up, title: Up, query: avg(up), unit: ratio, direction: lower-is-worse, thresholds: { warning: 1, critical: 0.5 } }
`,
    );
    const args = ['serve', '-c', config, '--port', '0', '--data-dir', join(dir, 'data')];
    const { child, done } = cli(args, {}, 'tsx');
    cleanups.push(() => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    let url = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no startup line within 20 s')), 20_000);
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*KPIs, evaluated/.exec(out);
        if (m) {
          clearTimeout(timer);
          url = m[1];
          resolve();
        }
      });
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  scraping http://127.0.0.1:9/metrics (job efile) every 15s\n');
    expect(run.stdout).toContain('kpi-lights: SIGTERM, shutting down');
    expect(run.stderr).toBe('');
  });
});

describe('kpi-lights export prometheus-rules', () => {
  it('writes the rules and the Alertmanager snippet for the demo policy', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kpi-lights-export-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const run = await cli(
      ['export', 'prometheus-rules', '--config', 'demo/kpi-lights.yaml', '--out', out],
      {},
      'tsx',
    ).done;
    expect(run.code).toBe(0);
    const rules = readFileSync(join(out, 'kpi-lights.rules.yml'), 'utf8');
    expect(rules).toContain('expr: kpi_lights:efile_error_rate >= 0.03');
    expect(readFileSync(join(out, 'alertmanager.yml'), 'utf8')).toContain(
      'smarthost: 127.0.0.1:8104',
    );
    const wrong = await cli(['export', 'grafana', '--config', 'demo/kpi-lights.yaml'], {}, 'tsx')
      .done;
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('export knows "prometheus-rules", got "grafana"');
  });
});
