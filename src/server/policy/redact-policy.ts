/** Hides the secrets of a policy text (tokens, SMTP passwords, webhook URLs and headers, source headers) before it is served. */
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';

/** What a hidden secret reads as. */
export const REDACTED = '<redacted>';

interface Cut {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function scalarCut(node: unknown, replace: (value: string) => string): Cut | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const value = String(node.value ?? '');
  return { start: node.range[0], end: node.range[1], text: JSON.stringify(replace(value)) };
}

function entries(node: unknown): [string, unknown][] {
  if (!isMap(node)) return [];
  return node.items.map((pair) => [
    String(isScalar(pair.key) ? pair.key.value : pair.key),
    pair.value,
  ]);
}

function child(node: unknown, key: string): unknown {
  return entries(node).find(([k]) => k === key)?.[1];
}

/** An SMTP URL keeps its host and user; the password goes. */
function hideUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = REDACTED;
    return decodeURIComponent(url.toString());
  } catch {
    return REDACTED;
  }
}

/** A webhook URL is often itself the secret (chat webhooks): keep only where it goes. */
function hideUrlPath(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
}

/**
 * Answers the policy text with every secret replaced in place, keeping the rest (comments,
 * layout, line numbers) exactly as written, so what a reader sees lines up with the file.
 *
 * @example
 * ```ts
 * redactPolicy('auth: { tokens: [{ name: ci, token: abcdefghijklmnop01, scopes: [write] }] }');
 * // 'auth: { tokens: [{ name: ci, token: "<redacted>", scopes: [write] }] }'
 * ```
 */
export function redactPolicy(text: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return REDACTED;
  const root = doc.contents as Node | null;
  const cuts: (Cut | undefined)[] = [];
  const tokens = child(child(root, 'auth'), 'tokens');
  if (isSeq(tokens)) {
    for (const item of tokens.items) cuts.push(scalarCut(child(item, 'token'), () => REDACTED));
  }
  for (const [, receiver] of entries(child(root, 'receivers'))) {
    cuts.push(scalarCut(child(child(receiver, 'email'), 'smtp'), hideUrlPassword));
    const webhook = child(receiver, 'webhook');
    cuts.push(scalarCut(child(webhook, 'url'), hideUrlPath));
    for (const [, value] of entries(child(webhook, 'headers'))) {
      cuts.push(scalarCut(value, () => REDACTED));
    }
  }
  // A source's headers carry its credentials (Authorization, a tenant's key); its URL may too.
  const prometheus = child(child(root, 'source'), 'prometheus');
  cuts.push(scalarCut(child(prometheus, 'url'), hideUrlPassword));
  for (const [, value] of entries(child(prometheus, 'headers'))) {
    cuts.push(scalarCut(value, () => REDACTED));
  }
  let out = text;
  const ordered = cuts.filter((c): c is Cut => c !== undefined).sort((a, b) => b.start - a.start);
  for (const cut of ordered) out = out.slice(0, cut.start) + cut.text + out.slice(cut.end);
  return out;
}
