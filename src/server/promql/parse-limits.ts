/** Runs lezer's parse step by step and stops with an accurate error where it would give up on a deep or long query. */
import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { maskStringsAndComments } from './parse-syntax.js';
import { PromqlError } from './promql-error.js';

/**
 * The parts of lezer's `Parse` this watches. They are internal to @lezer/lr, so they are read
 * defensively: the test of a 500-term query and a 1 000-deep subquery notices if they change.
 */
interface ParseInternals {
  readonly stacks?: readonly { readonly stack: readonly number[]; readonly pos: number }[];
  readonly bigReductionCount?: number;
  readonly lastBigReductionStart?: number;
  advance(): Tree | null;
}

/**
 * Lezer forces its way out of a left-associative chain after this many long reductions from
 * one start (`Rec.MaxLeftAssociativeReductionCount`), cuts a parse stack this deep
 * (`Rec.CutDepth`), and flattens a tree deeper than `TREE_CUT_OFF` when it builds it
 * (@lezer/common's `CutOff.Depth`). Each way the tree is not the query: the error it then
 * gives ("unexpected identifier", "unknown function sum_over_time") says nothing true.
 */
const MAX_CHAIN_REDUCTIONS = 300;
const CUT_DEPTH = 8_400;
/** Stack entries one step of the parse may add, kept as a margin below the cut. */
const STEP_MARGIN = 60;
const TREE_CUT_OFF = 2_500;

const OPERATOR = /^(?:==|!=|<=|>=|[-+*/%^<>]|(?:and|or|unless|atan2)(?![A-Za-z0-9_:]))/;

/** The deepest bracket nesting, and the most operators in one expression at one level. */
export function queryShape(text: string): { depth: number; chain: number } {
  const masked = maskStringsAndComments(text);
  const chains: number[] = [0];
  let depth = 0;
  let maxDepth = 0;
  let maxChain = 0;
  let inBraces = false;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (inBraces) {
      inBraces = ch !== '}';
      continue;
    }
    if (ch === '{') inBraces = true;
    else if (ch === '(' || ch === '[') {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      chains[depth] = 0;
    } else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else {
      const op = OPERATOR.exec(masked.slice(i, i + 7));
      if (op && (op[0].length === 1 || !/[A-Za-z0-9_:]/.test(masked[i - 1] ?? ''))) {
        chains[depth] = (chains[depth] ?? 0) + 1;
        maxChain = Math.max(maxChain, chains[depth]);
        i += op[0].length - 1;
      }
    }
  }
  return { depth: maxDepth, chain: maxChain };
}

/**
 * Parses `text` with Prometheus's lezer grammar, as `parser.parse` does, but watches each step:
 * where lezer would force its way out of a long chain of operators or cut a deeply nested
 * query, this throws an `unsupported` PromqlError saying which, with the query's shape (how
 * many operators, how many levels), instead of letting a wrong tree give a wrong message.
 * Prometheus itself has no such limit, so the message says to split the query.
 *
 * @example
 * ```ts
 * parseWithinLimits(Array(500).fill('count(up)').join('+'));
 * // PromqlError: query too long for this engine's parser: 499 operators in one expression …
 * ```
 */
export function parseWithinLimits(text: string): Tree {
  const parse = parser.startParse(text) as unknown as ParseInternals;
  for (;;) {
    const stacks = parse.stacks ?? [];
    if ((parse.bigReductionCount ?? 0) > MAX_CHAIN_REDUCTIONS && stacks.length === 1) {
      const { chain } = queryShape(text);
      throw new PromqlError(
        'unsupported',
        `query too long for this engine's parser: ${chain} operators in one expression; ` +
          'split it into smaller queries or recording rules',
        { position: parse.lastBigReductionStart },
      );
    }
    const deep = stacks.find((s) => s.stack.length >= CUT_DEPTH - STEP_MARGIN);
    if (deep) throw tooDeep(text, deep.pos);
    const tree = parse.advance();
    if (tree) {
      // A tree can be as deep as the text is long, never deeper than a few nodes a character.
      if (text.length * 4 >= TREE_CUT_OFF && treeDepth(tree) >= TREE_CUT_OFF) {
        throw tooDeep(text, 0);
      }
      return tree;
    }
  }
}

function tooDeep(text: string, position: number): PromqlError {
  const { depth } = queryShape(text);
  return new PromqlError(
    'unsupported',
    `query nested too deeply for this engine's parser: ${depth} levels of brackets; ` +
      'split it into smaller queries or recording rules',
    { position },
  );
}

function treeDepth(tree: Tree): number {
  let depth = 0;
  let deepest = 0;
  tree.iterate({
    enter() {
      deepest = Math.max(deepest, ++depth);
    },
    leave() {
      depth--;
    },
  });
  return deepest;
}
