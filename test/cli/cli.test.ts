/** The `kpi-lights` command, run as a user runs it: a child process, its output and exit code. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { main } from '../../src/server/cli/cli.js';
import { bufferIo } from '../../src/server/cli/cli-io.js';

/**
 * Runs the command in this process, with the same exit code and output a child would give
 * (`runCli`); only `serve`, whose signals are the thing tested, runs as a process.
 */
async function cli(args: string[], env: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const io = bufferIo();
  try {
    const code = await main(args, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  } finally {
    vi.unstubAllEnvs();
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

describe('kpi-lights validate', () => {
  it('prints every issue as file:line:col field: message and exits 1', async () => {
    const run = await cli(['validate', '--config', 'test/fixtures/policies/bad-types.yaml']);
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

  it('type-checks every query with the engine, as serve and PUT do', async () => {
    const run = await cli(['validate', '-c', 'test/fixtures/policies/bad-query-types.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').map((l) => l.split(': ')[0])).toEqual([
      'test/fixtures/policies/bad-query-types.yaml:5:21 kpis[0].query',
      'test/fixtures/policies/bad-query-types.yaml:10:13 kpis[1].query',
      'test/fixtures/policies/bad-query-types.yaml:15:12 kpis[2].query',
      'test/fixtures/policies/bad-query-types.yaml',
      '',
    ]);
    expect(run.stderr).toContain('not supported: histogram_count');
  });

  it('says what a good file holds and exits 0', async () => {
    const run = await cli(['validate', '-c', 'test/fixtures/policies/good-full.yaml'], {
      KPI_LIGHTS_DEPLOY_TOKEN: 'deploy-token-from-env-0123456',
    });
    expect([run.code, run.stdout]).toEqual([
      0,
      'test/fixtures/policies/good-full.yaml is valid: 2 targets, 2 KPIs\n',
    ]);
  });

  it('explains a wrong command line and prints the version', async () => {
    const [missing, version] = await Promise.all([cli(['validate']), cli(['--version'])]);
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
    ]);
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
    const { child, done } = runCli(args, {}, 'tsx');
    cleanups.push(() => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    const url = await servedUrl(child);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  scraping http://127.0.0.1:9/metrics (job efile) every 15s\n');
    expect(run.stdout).toContain(`  samples kept 2w1d in ${join(dir, 'data', 'samples')}\n`);
    expect(run.stdout).toContain('kpi-lights: SIGTERM, shutting down');
    expect(run.stderr).toBe('');
  });

  it('checks the policy against --storage.retention, and refuses a retention that is no duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      config,
      `kpis:
  - { id: week, title: Week, query: "avg(avg_over_time(up[7d]))", unit: ratio, direction: lower-is-worse, thresholds: { warning: 1, critical: 0.5 } }
`,
    );
    const data = join(dir, 'data');
    const [short, bad] = await Promise.all([
      cli(['serve', '-c', config, '--data-dir', data, '--storage.retention', '3d']),
      cli(['serve', '-c', config, '--data-dir', data, '--storage.retention', 'forever']),
    ]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain(
      `${config}:2:37 kpis[0].query: this query reads 1w of samples, more than --storage.retention 3d keeps`,
    );
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'kpi-lights: --storage.retention must be a positive duration like 15d or 90d, got "forever"',
    ]);
  });
});

describe('kpi-lights export prometheus-rules', () => {
  it('writes the rules and the Alertmanager snippet for the demo policy', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kpi-lights-export-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const run = await cli([
      'export',
      'prometheus-rules',
      '--config',
      'demo/kpi-lights.yaml',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const rules = readFileSync(join(out, 'kpi-lights.rules.yml'), 'utf8');
    expect(rules).toContain('expr: kpi_lights:efile_error_rate >= 0.03');
    expect(readFileSync(join(out, 'alertmanager.yml'), 'utf8')).toContain(
      'smarthost: 127.0.0.1:8104',
    );
    const wrong = await cli(['export', 'grafana', '--config', 'demo/kpi-lights.yaml']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('export knows "prometheus-rules", got "grafana"');
  });
});
