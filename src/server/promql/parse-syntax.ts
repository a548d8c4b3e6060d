/** Syntax errors: Prometheus's lexer-level checks, and plain messages for lezer's error nodes. */
import type { Tree } from '@lezer/common';
import { FUNCTION_SIGNATURES } from './function-signatures.js';
import { PromqlError } from './promql-error.js';

interface SyntaxProblem {
  readonly position: number;
  readonly message: string;
}

// Characters Prometheus's lexer accepts outside strings and comments.
const ALLOWED = /[A-Za-z0-9_:.\s,*/%+\-^=!<>(){}[\]"'`@#~]/;

/**
 * Finds the first error Prometheus's lexer would raise: unbalanced brackets, unterminated
 * strings, stray characters. Lezer recovers from these silently (it even accepts a string
 * without its closing quote), so they are checked here first.
 */
function findLexicalProblem(text: string): SyntaxProblem | undefined {
  let parenDepth = 0;
  let braceOpen = false;
  let bracketOpen = false;
  let i = 0;
  const problem = (position: number, message: string) => ({ position, message });
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      i++;
      while (i < text.length && text[i] !== ch && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length || text[i] !== ch) return problem(start, 'unterminated quoted string');
      i++;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return problem(i, 'unterminated raw string');
      i = end + 1;
      continue;
    }
    if (!ALLOWED.test(ch)) {
      return problem(i, `unexpected character${braceOpen ? ' inside braces' : ''}: '${ch}'`);
    }
    if (braceOpen) {
      if (ch === '{') return problem(i, "unexpected left brace '{'");
      if (ch === '}') braceOpen = false;
    } else if (ch === '(') {
      parenDepth++;
    } else if (ch === ')') {
      if (--parenDepth < 0) return problem(i, "unexpected right parenthesis ')'");
    } else if (ch === '{') {
      braceOpen = true;
    } else if (ch === '}') {
      return problem(i, "unexpected character: '}'");
    } else if (ch === '[') {
      if (bracketOpen) return problem(i, "unexpected left bracket '['");
      bracketOpen = true;
    } else if (ch === ']') {
      if (!bracketOpen) return problem(i, "unexpected right bracket ']'");
      bracketOpen = false;
    } else if (ch === '!' && text[i + 1] !== '=' && text[i + 1] !== '~') {
      return problem(i, `unexpected character after '!': '${text[i + 1] ?? ''}'`);
    }
    i++;
  }
  if (braceOpen) return problem(text.length, 'unexpected end of input inside braces');
  if (parenDepth > 0) return problem(text.length, 'unclosed left parenthesis');
  if (bracketOpen) return problem(text.length, 'unclosed left bracket');
  return undefined;
}

/** `text` with the insides of strings and comments blanked out, offsets unchanged. */
export function maskStringsAndComments(text: string): string {
  return text.replace(/#[^\n\r]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`]*`?/g, (m) =>
    ' '.repeat(m.length),
  );
}

/**
 * Prometheus reads `1.` as 1 (Go's ParseFloat accepts it) but the lezer grammar wants a digit
 * after the dot. Blanking such trailing dots keeps every offset and the value.
 * @example
 * normalizeNumbers('1./6.') // '1 /6 '
 */
export function normalizeNumbers(text: string): string {
  const masked = maskStringsAndComments(text);
  const dots: number[] = [];
  for (const m of masked.matchAll(/(?<![A-Za-z0-9_:.])\d+\.(?![0-9A-Za-z_.])/g)) {
    dots.push(m.index + m[0].length - 1);
  }
  if (dots.length === 0) return text;
  const chars = text.split('');
  for (const at of dots) chars[at] = ' ';
  return chars.join('');
}

/** Functions newer than the lezer grammar, each read as a function it knows of the same length. */
const NEWER_FUNCTIONS: Readonly<Record<string, string>> = { min_of: 'vector', max_of: 'vector' };

/**
 * The text for lezer to parse: calls of functions its grammar predates (`min_of(`) renamed to
 * ones it knows, keeping every offset. The tree is then read against the original text, so
 * the real name is what the parser sees.
 * @example
 * aliasNewerFunctions('min_of(1, x) + min_of') // 'vector(1, x) + min_of'
 */
export function aliasNewerFunctions(text: string): string {
  const masked = maskStringsAndComments(text);
  let out = text;
  for (const m of masked.matchAll(/(?<![A-Za-z0-9_:])(min_of|max_of)(?=\s*\()/g)) {
    const alias = NEWER_FUNCTIONS[m[1]];
    out = out.slice(0, m.index) + alias + out.slice(m.index + alias.length);
  }
  return out;
}

function firstErrorNode(tree: Tree): number | undefined {
  let first: number | undefined;
  tree.iterate({
    enter(node) {
      if (first !== undefined && node.from > first) return false;
      if (node.type.isError && (first === undefined || node.from < first)) first = node.from;
      return undefined;
    },
  });
  return first;
}

function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] !== '#') return i;
    while (i < text.length && text[i] !== '\n') i++;
  }
}

const NOT_FUNCTIONS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** The token at `i`, described as Prometheus's parser would in "unexpected ..." messages. */
function describeToken(text: string, i: number): string {
  const rest = text.slice(i);
  const ident = /^(?:[A-Za-z_][A-Za-z0-9_:]*|:[A-Za-z0-9_:]+)/.exec(rest);
  if (ident) return `identifier "${ident[0]}"`;
  const num = /^(?:0x[0-9a-f]+|[0-9.][0-9a-z_.]*(?:e[+-]?\d+)?)/i.exec(rest);
  if (num) return `number "${num[0]}"`;
  if (rest[0] === '"' || rest[0] === "'" || rest[0] === '`') return 'string';
  const op = /^(?:==|!=|<=|>=|=~|!~|.)/s.exec(rest)!;
  return `"${op[0]}"`;
}

/** The message for lezer's first error node: an unknown function, or the unexpected token. */
function describeParseProblem(text: string, at: number): PromqlError {
  const i = skipBlank(text, at);
  if (i >= text.length) return new PromqlError('parse', 'unexpected end of input', { position: i });
  if (text[i] === '(') {
    const before = /([A-Za-z_:][A-Za-z0-9_:]*)\s*$/.exec(text.slice(0, i));
    const name = before?.[1];
    if (name !== undefined && !NOT_FUNCTIONS.has(name.toLowerCase())) {
      const position = i - before![0].length;
      const signature = FUNCTION_SIGNATURES[name];
      if (signature && !signature.supported) {
        return new PromqlError('unsupported', `not supported: ${name}`, { position });
      }
      return new PromqlError('parse', `unknown function with name "${name}"`, { position });
    }
  }
  return new PromqlError('parse', `unexpected ${describeToken(text, i)}`, { position: i });
}

/**
 * Throws the first syntax error in `text`, preferring whichever of the lexical problem and
 * lezer's first error node comes first, as Prometheus's lexer and parser run in step.
 * @example
 * assertSyntax('rate(x[5m]', parser.parse('rate(x[5m]')) // throws "unclosed left parenthesis"
 */
export function assertSyntax(text: string, tree: Tree): void {
  if (text.trim() === '' || skipBlank(text, 0) >= text.length) {
    throw new PromqlError('parse', 'no expression found in input', { position: 0 });
  }
  const lexical = findLexicalProblem(text);
  const parseAt = firstErrorNode(tree);
  if (lexical && (parseAt === undefined || lexical.position <= skipBlank(text, parseAt))) {
    throw new PromqlError('parse', lexical.message, { position: lexical.position });
  }
  if (parseAt !== undefined) throw describeParseProblem(text, parseAt);
}
