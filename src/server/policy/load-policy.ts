/** Reads a policy file: YAML with positions, schema, cross-checks, normalised `Policy` out. */
import { readFileSync } from 'node:fs';
import { type Document, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { PolicyIssue } from '../../sdk/types.js';
import { closest, describeValue, issuesFromZod, type RawIssue } from './issue-messages.js';
import { normalise } from './normalise.js';
import { PolicyError } from './policy-error.js';
import { PolicySecretsTooTangled, sharedSecretProblems } from './policy-secrets.js';
import { defaultQueryCheck, engineReadWindow } from './query-check.js';
import {
  type CheckedSections,
  LIST_SECTIONS,
  type RawSections,
  type SectionName,
  sectionSchemas,
} from './schema.js';
import { checkSemantics, type QueryCheck } from './semantic-checks.js';
import type { Policy } from './types.js';
import { type FieldPath, offsetInScalar, offsetOf, positionOf } from './yaml-position.js';

/** Options of {@link parsePolicy}. Every field is optional. */
export interface ParsePolicyOptions {
  /** Checks each PromQL query. Default: the engine's parser; `null` skips the check. */
  readonly checkQuery?: QueryCheck | null;
  /** Where `token_env` names are looked up. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Hears advice that does not refuse the policy, placed like an error (e.g. a query the
   * embedded engine cannot check, sent to a Prometheus source that runs it). Default: dropped.
   */
  readonly onWarning?: (issue: PolicyIssue) => void;
  /**
   * The sample retention given on the command line (`--storage.retention`), ms; it wins over
   * `storage.retention`, and queries are checked against it.
   */
  readonly storageRetentionMs?: number;
}

/** A policy read from disk, with the exact text it came from (versions hash and keep it). */
export interface LoadedPolicy {
  readonly file: string;
  readonly text: string;
  readonly policy: Policy;
}

const SECTIONS = Object.keys(sectionSchemas) as SectionName[];

/**
 * Parses and checks policy text. Throws {@link PolicyError} listing every problem, each with
 * `fileName:line:column` and the field path.
 *
 * @example
 * ```ts
 * const policy = parsePolicy(text, 'kpi-lights.yaml');
 * policy.kpis[0].thresholds.warning; // 0.01
 * ```
 */
export function parsePolicy(
  text: string,
  fileName: string,
  options: ParsePolicyOptions = {},
): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): PolicyIssue => ({
    file: fileName,
    ...positionOf(lines, offset),
    path,
    message,
  });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => at(e.pos[0], '', `YAML syntax: ${firstLine(e.message)}`));
    throw new PolicyError(fileName, issues);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new PolicyError(fileName, [at(0, '', `YAML: ${(err as Error).message}`)], { cause: err });
  }
  if (data === null || data === undefined) {
    throw new PolicyError(fileName, [at(0, '', 'the policy is empty')]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyError(fileName, [
      at(0, '', 'expected a mapping of sections (scrape, targets, kpis, …)'),
    ]);
  }

  const raw: RawIssue[] = [];
  const sections = checkSections(data, raw);
  const env = options.env ?? process.env;
  const checkQuery =
    options.checkQuery === null ? undefined : (options.checkQuery ?? defaultQueryCheck);
  const lineOf = (path: FieldPath) => positionOf(lines, offsetOf(doc, path)).line;
  const names = (list: unknown, field: string) =>
    new Set(
      (Array.isArray(list) ? list : [])
        .map((item) => (item as Record<string, unknown> | null)?.[field])
        .filter((v): v is string => typeof v === 'string'),
    );
  const known = {
    kpiIds: names((data as Record<string, unknown>).kpis, 'id'),
    receivers: new Set(Object.keys(asMapping((data as Record<string, unknown>).receivers))),
  };
  const checked = checkSemantics(sections, {
    checkQuery,
    env,
    lineOf,
    known,
    // Without the engine's query check there is no parser to measure windows with.
    readWindow: checkQuery === undefined ? undefined : engineReadWindow,
    storageRetentionMs: options.storageRetentionMs,
  });
  raw.push(...checked.filter((issue) => !issue.warning));
  // A secret shared through an anchor with a field readers see would be served there as is.
  try {
    raw.push(...sharedSecretProblems(doc));
  } catch (err) {
    if (!(err instanceof PolicySecretsTooTangled)) throw err;
    raw.push({ path: [], message: err.message });
  }

  const refuse = (issues: readonly RawIssue[]): never => {
    const placed = issues.map((issue) => ({ offset: place(doc, text, issue), issue }));
    placed.sort((a, b) => a.offset - b.offset);
    throw new PolicyError(
      fileName,
      placed.map(({ offset, issue }) => at(offset, formatPath(issue.path), issue.message)),
    );
  };
  if (raw.length > 0) refuse(raw);
  for (const issue of checked.filter((i) => i.warning)) {
    options.onWarning?.(at(place(doc, text, issue), formatPath(issue.path), issue.message));
  }
  // No issues means every section and item passed, so the holes are gone.
  const policy = normalise(sections as CheckedSections, env);
  const retentionMs = options.storageRetentionMs;
  return retentionMs === undefined
    ? policy
    : { ...policy, storage: { ...policy.storage, retentionMs } };
}

/** Each section through its schema: the sections that passed, and every issue into `raw`. */
function checkSections(data: object, raw: RawIssue[]): RawSections {
  const sections: RawSections = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(SECTIONS as string[]).includes(key)) {
      const hint = closest(key, SECTIONS);
      raw.push({
        path: [key],
        atKey: true,
        message: `unknown section "${key}"${hint ? ` (did you mean "${hint}"?)` : ` (known: ${SECTIONS.join(', ')})`}`,
      });
      continue;
    }
    const name = key as SectionName;
    const schema: z.ZodType = sectionSchemas[name];
    const check = (v: unknown, path: FieldPath): unknown => {
      const result = schema.safeParse(v, { reportInput: true });
      if (result.success) return result.data;
      raw.push(...issuesFromZod(result.error.issues, schema, path));
      return undefined;
    };
    if (!LIST_SECTIONS.has(name)) {
      const parsed = check(value, [name]);
      if (parsed !== undefined) (sections as Record<string, unknown>)[name] = parsed;
    } else if (value === null || value === undefined) {
      (sections as Record<string, unknown>)[name] = [];
    } else if (!Array.isArray(value)) {
      raw.push({ path: [name], message: `expected a list, got ${describeValue(value)}` });
    } else {
      (sections as Record<string, unknown>)[name] = value.map((item, i) => check(item, [name, i]));
    }
  }
  return sections;
}

/**
 * Reads and parses a policy file; problems name the file as `path` was given.
 *
 * @example
 * ```ts
 * const { policy, text } = loadPolicyFile('kpi-lights.yaml');
 * versions.record(text, { author: 'cli', reason: 'start' });
 * ```
 */
export function loadPolicyFile(path: string, options: ParsePolicyOptions = {}): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const issue = {
      file: path,
      line: 1,
      column: 1,
      path: '',
      message: `cannot read: ${(err as Error).message}`,
    };
    throw new PolicyError(path, [issue], { cause: err });
  }
  return { file: path, text, policy: parsePolicy(text, path, options) };
}

/** Where in the text an issue belongs: the blamed character of a query, else the field. */
function place(doc: Document, text: string, issue: RawIssue): number {
  if (issue.offset !== undefined) return issue.offset;
  if (issue.valueOffset !== undefined) {
    const node = doc.getIn(issue.path as unknown[], true);
    if (isScalar(node) && typeof node.value === 'string') {
      // Queries are checked trimmed; the scalar keeps its leading whitespace.
      const lead = node.value.length - node.value.trimStart().length;
      const offset = offsetInScalar(text, node, lead + issue.valueOffset);
      if (offset !== undefined) return offset;
    }
  }
  return offsetOf(doc, issue.path, issue.atKey);
}

/** `kpis[1].thresholds.critical`; odd keys in brackets. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function asMapping(v: unknown): object {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}
