/** `npm run conformance [folder] [--verbose]`: runs promqltest files; Prometheus's own against the floor, others all-pass. */
import { readFileSync } from 'node:fs';
import { conformanceDir, isPrometheusFolder } from './conformance-dir.js';
import type { Floor } from './floor.js';
import { runFolder, summaryLine, totalOf } from './run-script.js';
import { conformanceVerdict } from './verdict.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const { dir, exists } = conformanceDir(args.find((a) => !a.startsWith('-')));
if (!exists) {
  console.error(`promql conformance: folder ${dir} not found`);
  process.exit(2);
}

const reports = runFolder(dir);
for (const r of reports) {
  console.log(summaryLine(r));
  if (!verbose) continue;
  for (const f of r.notPassed) {
    console.log(`  ${f.outcome.toUpperCase()} line ${f.line}: ${f.expr}\n    ${f.reason}`);
  }
}
const total = totalOf(reports);
const floor = isPrometheusFolder(dir)
  ? (JSON.parse(readFileSync(new URL('./floor.json', import.meta.url), 'utf8')) as Floor)
  : undefined;
const violations = conformanceVerdict(reports, floor);
for (const v of violations) console.log(v);
console.log(
  `promql conformance: ${total.passed} passed, ${total.failed} failed, ${total.unsupported} unsupported of ${total.total}`,
);
process.exit(violations.length > 0 ? 1 : 0);
