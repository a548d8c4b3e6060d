/** Parses a promqltest script (`load`, `clear`, `eval …` with `expect` lines) into commands. */
import {
  parseDurationMs,
  parseFloatValue,
  parseSeriesLine,
  type SeriesLine,
} from './series-notation.js';

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  /** `load_with_nhcb`: Prometheus also loads the classic histograms as native ones. */
  readonly withNhcb: boolean;
  readonly series: SeriesLine[];
}

export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly range: { startMs: number; endMs: number; stepMs: number } | undefined;
  /** Evaluation time of an instant query. */
  readonly atMs: number;
  expectFail: boolean;
  failMessage: string | undefined;
  failRegexp: RegExp | undefined;
  ordered: boolean;
  /** Annotation expectations (warn/info) exist; we record them but do not check them. */
  annotations: boolean;
  expectString: string | undefined;
  rangeVector: { startMs: number; endMs: number; stepMs: number } | undefined;
  scalar: number | undefined;
  readonly series: SeriesLine[];
}

export type Command = LoadCommand | ClearCommand | EvalCommand;

/** A script line we could not read; the eval it belongs to (if any) counts as failed. */
export interface ScriptProblem {
  readonly line: number;
  readonly message: string;
  /** The unreadable line opened an eval, so that eval counts as failed. */
  readonly isEval: boolean;
}

const EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const EVAL_RANGE =
  /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const LOAD = /^load(_with_nhcb)?\s+(\S+)$/;
const EXPECT =
  /^expect\s+(fail|warn|info|no_warn|no_info|ordered|string|range vector)\b\s*(?:(msg|regex)\s*:\s*)?(.*)$/;

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === '`') && t.at(-1) === t[0]) {
    return t[0] === '`' ? t.slice(1, -1) : (JSON.parse(t) as string);
  }
  return t;
}

function newEval(
  line: number,
  expr: string,
  atMs: number,
  range: EvalCommand['range'],
): EvalCommand {
  return {
    kind: 'eval',
    line,
    expr,
    range,
    atMs,
    expectFail: false,
    failMessage: undefined,
    failRegexp: undefined,
    ordered: false,
    annotations: false,
    expectString: undefined,
    rangeVector: undefined,
    scalar: undefined,
    series: [],
  };
}

function applyVariant(cmd: EvalCommand, variant: string | undefined): void {
  if (variant === 'fail') cmd.expectFail = true;
  else if (variant === 'ordered') cmd.ordered = true;
  else if (variant === 'warn' || variant === 'info') cmd.annotations = true;
}

function applyExpectLine(cmd: EvalCommand, text: string): boolean {
  const oldMsg = /^expected_fail_message\s+(.*)$/.exec(text);
  if (oldMsg) {
    cmd.failMessage = oldMsg[1].trim();
    return true;
  }
  const oldRe = /^expected_fail_regexp\s+(.*)$/.exec(text);
  if (oldRe) {
    cmd.failRegexp = new RegExp(oldRe[1].trim());
    return true;
  }
  const m = EXPECT.exec(text);
  if (!m) return false;
  const [, type, match, rest] = m;
  if (type === 'fail') {
    cmd.expectFail = true;
    if (match === 'msg') cmd.failMessage = unquote(rest);
    if (match === 'regex') cmd.failRegexp = new RegExp(unquote(rest));
  } else if (type === 'ordered') {
    cmd.ordered = true;
  } else if (type === 'string') {
    cmd.expectString = unquote(rest);
  } else if (type === 'range vector') {
    const rv = /^from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(rest.trim());
    if (!rv) throw new Error(`bad range vector expectation "${text}"`);
    cmd.rangeVector = {
      startMs: parseDurationMs(rv[1]),
      endMs: parseDurationMs(rv[2]),
      stepMs: parseDurationMs(rv[3]),
    };
  } else {
    cmd.annotations = true;
  }
  return true;
}

function parseEvalHeader(text: string, line: number): EvalCommand | undefined {
  const inst = EVAL_INSTANT.exec(text);
  if (inst) {
    const cmd = newEval(line, inst[3].trim(), parseDurationMs(inst[2] ?? '0'), undefined);
    applyVariant(cmd, inst[1]);
    return cmd;
  }
  const rng = EVAL_RANGE.exec(text);
  if (rng) {
    const range = {
      startMs: parseDurationMs(rng[2]),
      endMs: parseDurationMs(rng[3]),
      stepMs: parseDurationMs(rng[4]),
    };
    const cmd = newEval(line, rng[5].trim(), range.startMs, range);
    applyVariant(cmd, rng[1]);
    return cmd;
  }
  return undefined;
}

/**
 * Reads a whole script. Lines are trimmed and `#` comment lines end a block, as in promqltest.
 * @example parseScript('load 1m\n  up 1\n\neval instant at 0 up\n  up 1\n').commands.length // 2
 */
export function parseScript(text: string): { commands: Command[]; problems: ScriptProblem[] } {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: Command[] = [];
  const problems: ScriptProblem[] = [];
  let i = 0;
  while (i < lines.length) {
    const text = lines[i];
    const lineNo = i + 1;
    i++;
    if (text === '') continue;
    // `clear` takes no block: a `load` may follow on the very next line.
    if (text === 'clear') {
      commands.push({ kind: 'clear', line: lineNo });
      continue;
    }
    // The block of a command runs to the next empty line.
    const block: Array<[number, string]> = [];
    while (i < lines.length && lines[i] !== '') {
      block.push([i + 1, lines[i]]);
      i++;
    }
    try {
      const load = LOAD.exec(text);
      if (load) {
        const series = block.map(([, l]) => parseSeriesLine(l));
        const intervalMs = parseDurationMs(load[2]);
        commands.push({
          kind: 'load',
          line: lineNo,
          intervalMs,
          withNhcb: load[1] !== undefined,
          series,
        });
        continue;
      }
      const cmd = parseEvalHeader(text, lineNo);
      if (!cmd) throw new Error(`unknown command "${text}"`);
      for (const [, l] of block) {
        if (applyExpectLine(cmd, l)) continue;
        if (/^[+-]?(\d|\.\d|inf|nan)/i.test(l) && !/\s/.test(l)) {
          cmd.scalar = parseFloatValue(l);
          continue;
        }
        cmd.series.push(parseSeriesLine(l));
      }
      commands.push(cmd);
    } catch (err) {
      problems.push({
        line: lineNo,
        message: (err as Error).message,
        isEval: text.startsWith('eval'),
      });
    }
  }
  return { commands, problems };
}
