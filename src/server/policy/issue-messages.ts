/** Turns zod's issues into short messages a policy author can act on, with "did you mean". */
import { z } from 'zod';
import type { FieldPath } from './yaml-position.js';

/** One problem before it is given a place in the file. */
export interface RawIssue {
  readonly path: FieldPath;
  readonly message: string;
  /** Point at the key rather than the value (unknown fields). */
  readonly atKey?: boolean;
  /** For query errors: the character in the string value the parser blamed. */
  readonly valueOffset?: number;
  /** Where in the text the problem is, when no field path leads there (an alias, an anchor). */
  readonly offset?: number;
  /** Advice, not a refusal: the policy loads and the caller is told. */
  readonly warning?: boolean;
}

const KIND: Readonly<Record<string, string>> = {
  number: 'a number',
  string: 'a string',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
  int: 'a whole number',
};

/** How a YAML value reads back to the author. */
export function describeValue(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

const PERCENT = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/;

/** Maps zod issues (for a section whose schema is `schema`) to author-facing issues. */
export function issuesFromZod(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  base: FieldPath,
): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'invalid_type': {
        if (input === undefined) {
          out.push({ path, message: 'is required' });
          break;
        }
        let message = `expected ${KIND[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
        const pct = issue.expected === 'number' && typeof input === 'string' && PERCENT.exec(input);
        if (pct) message += ` (write ${pct[1]}% as ${Number(pct[1]) / 100})`;
        out.push({ path, message });
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map(String);
        const hint = typeof input === 'string' ? closest(input, allowed) : undefined;
        out.push({
          path,
          message:
            `expected one of ${allowed.join(', ')}, got ${describeValue(input)}` +
            (hint ? ` (did you mean "${hint}"?)` : ''),
        });
        break;
      }
      case 'unrecognized_keys': {
        const known = knownKeys(schema, issue.path);
        for (const key of issue.keys) {
          const hint = closest(key, known);
          out.push({
            path: [...path, key],
            atKey: true,
            message:
              `unknown field "${key}"` +
              (hint
                ? ` (did you mean "${hint}"?)`
                : known.length
                  ? ` (known: ${known.join(', ')})`
                  : ''),
          });
        }
        break;
      }
      case 'too_small':
        out.push({ path, message: ownMessage(issue) ?? tooSmall(issue) });
        break;
      case 'too_big':
        out.push({ path, message: ownMessage(issue) ?? tooBig(issue) });
        break;
      case 'invalid_key':
        out.push(...issuesFromZod(issue.issues, schema, path));
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** The schema's own wording, when it gave one instead of zod's default. */
function ownMessage(issue: z.core.$ZodIssue): string | undefined {
  return /^Too (small|big)/.test(issue.message) ? undefined : issue.message;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  if (issue.origin === 'array') return `must list at most ${String(issue.maximum)}`;
  if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
  return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  if (issue.origin === 'array') return 'must list at least one';
  if (issue.origin === 'string') return 'must not be empty';
  if (Number(issue.minimum) === 0 && issue.inclusive) return 'must not be negative';
  return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
}

/** The field names the schema allows at `path`, for suggestions. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(seg)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return [];
    s = s && unwrap(s);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      // A preprocess pipe holds the real schema in `out`; a transform pipe in `in`.
      const { in: first, out } = s.def as unknown as { in: z.ZodType; out: z.ZodType };
      s = first instanceof z.ZodTransform ? out : first;
    } else {
      return s;
    }
  }
}

/** The allowed word nearest to `word`, if it is near enough to be a typo. */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
