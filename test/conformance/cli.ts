/** `npm run conformance [folder] [--verbose]`: runs Prometheus's promqltest files and checks the floor. */
import { readFileSync } from 'node:fs';
import { conformanceDir } from './conformance-dir.js';
import { checkFloor, type Floor } from './floor.js';
import { runFolder, summaryLine, totalOf } from './run-script.js';

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
const floor = JSON.parse(readFileSync(new URL('./floor.json', import.meta.url), 'utf8')) as Floor;
const violations = checkFloor(floor, reports);
for (const v of violations) console.log(`below floor: ${v}`);
console.log(
  `promql conformance: ${total.passed} passed, ${total.failed} failed, ${total.unsupported} unsupported of ${total.total}`,
);
process.exit(violations.length > 0 ? 1 : 0);
