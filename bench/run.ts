/** Runs every benchmark in turn (`npm run bench`), or the ones named: `npm run bench -- parse ingest`. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

const all = [
  'parse',
  'ingest',
  'storage',
  'exporter',
  'promql',
  'matchers',
  'sse',
  'api',
  'lateness',
  'size',
  'breakdown',
  'embed',
  'db',
];
/** Names whose file is called otherwise. */
const FILES: Record<string, string> = {
  size: 'bundle-size',
  breakdown: 'bundle-breakdown',
  embed: 'embed-timing',
  db: 'database',
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
/** Options (`--entry=…`) go to every benchmark run. */
const options = process.argv.slice(2).filter((a) => a.startsWith('-'));
const names = wanted.length > 0 ? wanted : all;

console.log(
  `kpi-lights benchmarks — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
let failed = 0;
for (const name of names) {
  const file = new URL(`./${FILES[name] ?? name}.ts`, import.meta.url).pathname;
  if (!existsSync(file)) {
    console.log(`\n== ${name}: no bench/${FILES[name] ?? name}.ts, skipped`);
    continue;
  }
  console.log(`\n== ${name}`);
  // Each benchmark gets a fresh process, so one's heap and JIT state do not colour the next.
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...options], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
