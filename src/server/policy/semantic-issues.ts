/** The issue list the semantic checks write into, and the context every check reads. */

import type { RawIssue } from './issue-messages.js';
import type { FieldPath } from './yaml-position.js';

/**
 * Checks one PromQL expression: undefined when it can run, else the parser's message, with the
 * offset into the text it blames when known and what kind of problem it is (default `syntax`).
 */
export type QueryCheck = (query: string) =>
  | string
  | {
      readonly message: string;
      readonly offset?: number;
      readonly kind?: 'syntax' | 'type' | 'unsupported';
    }
  | undefined;

/** How each kind of query problem is introduced, so a reader knows what to fix. */
const QUERY_PROBLEM = {
  syntax: 'invalid PromQL',
  type: 'PromQL type error',
  unsupported: 'the embedded PromQL engine cannot run this query',
} as const;

/** What the checks need besides the sections. */
export interface CheckContext {
  readonly checkQuery: QueryCheck | undefined;
  /** Environment `token_env` reads from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Line of a field, to say where the first of two duplicates is. */
  readonly lineOf: (path: FieldPath) => number;
  /** Every KPI id and receiver name written in the file, even in items that failed their schema. */
  readonly known: { readonly kpiIds: ReadonlySet<string>; readonly receivers: ReadonlySet<string> };
  /** How far back a query reads samples, ms; undefined when it does not parse (told apart). */
  readonly readWindow?: (query: string) => number | undefined;
  /** The retention given on the command line, which wins over `storage.retention`. */
  readonly storageRetentionMs?: number;
}

/**
 * The issues found so far in one run of the checks, with the three ways a check reports one.
 *
 * @example
 * const issues = new SemanticIssues(ctx, false);
 * issues.add(['scrape', 'interval'], 'must be more than 0');
 * issues.list; // [{ path: ['scrape', 'interval'], message: 'must be more than 0' }]
 */
export class SemanticIssues {
  /** Every issue in the order the checks found it. */
  readonly list: RawIssue[] = [];
  readonly #remote: boolean;

  /**
   * @param ctx what the checks read besides the sections
   * @param remote whether `source.prometheus` runs the queries, not the embedded engine
   */
  constructor(
    readonly ctx: CheckContext,
    remote: boolean,
  ) {
    this.#remote = remote;
  }

  /** Records a refusal at `path`, pointing into the value when `valueOffset` is known. */
  add(path: FieldPath, message: string, valueOffset?: number): void {
    this.list.push({ path, message, valueOffset });
  }

  /** Refuses item `i` of `list` when its `key` repeats an earlier item's; `seen` spans the list. */
  unique(list: FieldPath, i: number, key: string, value: string, seen: Map<string, number>): void {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else {
      const line = this.ctx.lineOf([...list, first, key]);
      this.add([...list, i, key], `duplicate ${key} "${value}" (first at line ${line})`);
    }
  }

  /** Runs the query check on `text` and records what it finds at `path`. */
  query(path: FieldPath, text: string): void {
    const problem = this.ctx.checkQuery?.(text);
    if (problem === undefined) return;
    if (typeof problem === 'string') this.add(path, `invalid PromQL: ${problem}`);
    else if (problem.kind === 'unsupported' && this.#remote) {
      // Prometheus runs it; only the embedded engine (and so `validate` here) cannot.
      this.list.push({
        path,
        message: `${QUERY_PROBLEM.unsupported}: ${problem.message}; the Prometheus source runs it, but this server cannot check it`,
        valueOffset: problem.offset,
        warning: true,
      });
    } else
      this.add(
        path,
        `${QUERY_PROBLEM[problem.kind ?? 'syntax']}: ${problem.message}`,
        problem.offset,
      );
  }
}
