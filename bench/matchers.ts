/** Benchmark: matcher throughput, the linear-time Go engine against the former RegExp translation. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileGoRegex } from '../src/server/go-regex/compile-go-regex.js';
import { compileValuePattern } from '../src/server/go-regex/value-pattern.js';
import { DEFAULT_CONFORMANCE_DIR } from '../test/conformance/conformance-dir.js';
import { goRegexAsJs } from './go-regex-as-js/go-regex-as-js.js';

/** The regexes (matchers and label_replace's) and the label values of Prometheus's promqltest files. */
function conformanceCorpus(dir: string): { regexes: string[]; values: string[] } {
  const regexes = new Set<string>();
  const values = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/[=!]~\s*"((?:[^"\\]|\\.)*)"/g)) regexes.add(unquote(m[1]));
    for (const m of text.matchAll(
      /label_replace\((?:[^"]*"(?:[^"\\]|\\.)*"){3}[^"]*"((?:[^"\\]|\\.)*)"/g,
    )) {
      regexes.add(unquote(m[1]));
    }
    for (const m of text.matchAll(/\b[a-zA-Z_]\w*="((?:[^"\\]|\\.)*)"/g)) values.add(unquote(m[1]));
    for (const m of text.matchAll(/^\s+([a-zA-Z_:][\w:]*)\{/gm)) values.add(m[1]);
  }
  return { regexes: [...regexes], values: [...values] };
}

/** PromQL's double-quoted string escapes, the ones the files use. */
function unquote(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

type Test = (value: string) => boolean;

/** Matches per second of `tests` over `values`, the median of `rounds` rounds of `roundMs`. */
function throughput(tests: readonly Test[], values: readonly string[], rounds = 5, roundMs = 150) {
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (const test of tests) for (const v of values) if (test(v)) sink++;
      n += tests.length * values.length;
      elapsed = performance.now() - start;
    }
    rates.push((n / elapsed) * 1000);
  }
  if (sink < 0) console.log(sink);
  return rates.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

const fmt = (perSec: number) => `${(perSec / 1e6).toFixed(2)} M matches/s`;

if (!existsSync(DEFAULT_CONFORMANCE_DIR)) {
  console.log('notice: ../shared/conformance/prometheus/promql is absent; matchers bench skipped');
  process.exit(0);
}
const { regexes, values } = conformanceCorpus(DEFAULT_CONFORMANCE_DIR);
const valid = regexes.filter((r) => {
  try {
    compileGoRegex(r);
    goRegexAsJs(r);
    return true;
  } catch {
    return false;
  }
});
console.log(`${valid.length} regexes × ${values.length} label values from the promqltest files`);
const before = throughput(
  valid.map((r) => goRegexAsJs(r)).map((re) => (v: string) => re.test(v)),
  values,
);
const engine = throughput(
  valid.map((r) => compileGoRegex(r).test),
  values,
);
const withFastPaths = throughput(
  valid.map((r) => compileValuePattern(r).test),
  values,
);
console.log(`RegExp translation (before)        ${fmt(before)}`);
console.log(
  `Go engine (re2js), no fast paths   ${fmt(engine)}  ${(engine / before).toFixed(2)}× before`,
);
console.log(
  `Go engine with literal fast paths  ${fmt(withFastPaths)}  ${(withFastPaths / before).toFixed(2)}× before`,
);

// The hostile patterns of issue 7 over 300 values of 30 characters: linear now, not exponential.
const hostile = Array.from(
  { length: 300 },
  (_, i) => `instance-${String(i).padStart(3, '0')}.efile.gov:9100`,
);
for (const bomb of ['(.|.|.|.)*!', '(.|.)*!']) {
  const start = performance.now();
  const test = compileValuePattern(bomb).test;
  for (const v of hostile) test(v);
  console.log(`bomb ${bomb} on 300 values: ${(performance.now() - start).toFixed(1)} ms`);
}
