/** Hides the secrets of a policy text (tokens, SMTP passwords, webhook URLs and headers, source headers, secrets in URLs) before it is served. */
import { type Document, parseDocument } from 'yaml';
import { redactUrlSecrets } from '../../shared/url-secrets.js';
import { findPolicySecrets, type PolicySecret, PolicySecretsTooTangled } from './policy-secrets.js';

/** What a hidden secret reads as. */
export const REDACTED = '<redacted>';

/** What a hidden secret reads as where it differs from the version before. */
export const SECRET_CHANGED = '<secret changed>';

/** Options of {@link redactPolicy}. */
export interface RedactOptions {
  /**
   * The text this one is compared with (the version before, for a diff): a secret whose
   * hidden value differs from the one at the same place there reads `<secret changed>`, so a
   * change that touches only secrets is not an empty diff. Its value is never shown.
   */
  readonly previous?: string;
}

/** Parses policy text as the policy reader does (aliases and, under `%YAML 1.1`, merge keys). */
export function parsePolicyDocument(text: string): Document | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  return doc.errors.length > 0 ? undefined : doc;
}

/** A webhook URL is often itself the secret (chat webhooks): keep only where it goes. */
function endpointOnly(value: string, mark: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}/${mark}`;
  } catch {
    return mark;
  }
}

function shown(secret: PolicySecret, mark: string): string {
  const value = secret.node.value;
  if (secret.kind === 'endpoint') return endpointOnly(value, mark);
  if (secret.kind === 'url') return redactUrlSecrets(value, mark);
  return mark;
}

const pathKey = (s: PolicySecret) => JSON.stringify(s.path);

/** The secrets of a document, or undefined when it is too tangled to walk (then nothing of it is shown). */
export function secretsOf(doc: Document): PolicySecret[] | undefined {
  try {
    return findPolicySecrets(doc);
  } catch (err) {
    if (err instanceof PolicySecretsTooTangled) return undefined;
    throw err;
  }
}

/**
 * Answers the policy text with every secret replaced in place, keeping the rest (comments,
 * layout, line numbers) exactly as written, so what a reader sees lines up with the file. A
 * secret given through an alias or a merge key is hidden where it is written. Text that is not
 * YAML answers `<redacted>` whole.
 *
 * @example
 * ```ts
 * redactPolicy('auth: { tokens: [{ name: ci, token: abcdefghijklmnop01, scopes: [write] }] }');
 * // 'auth: { tokens: [{ name: ci, token: "<redacted>", scopes: [write] }] }'
 * ```
 */
export function redactPolicy(text: string, options: RedactOptions = {}): string {
  const doc = parsePolicyDocument(text);
  const secrets = doc && secretsOf(doc);
  if (!secrets) return REDACTED;
  const before = new Map<string, string>();
  const previous =
    options.previous === undefined ? undefined : parsePolicyDocument(options.previous);
  for (const s of (previous && secretsOf(previous)) ?? []) before.set(pathKey(s), s.hidden);
  // One scalar may be a secret at several places (an anchor and its aliases): cut it once.
  const cuts = new Map<PolicySecret['node'], { text: string; changed: boolean }>();
  for (const s of secrets) {
    const was = before.get(pathKey(s));
    const changed = (cuts.get(s.node)?.changed ?? false) || (was !== undefined && was !== s.hidden);
    cuts.set(s.node, { text: shown(s, changed ? SECRET_CHANGED : REDACTED), changed });
  }
  let out = text;
  const ordered = [...cuts]
    .filter(([node]) => node.range)
    .sort(([a], [b]) => b.range![0] - a.range![0]);
  for (const [node, cut] of ordered) {
    const [start, end] = node.range!;
    out = out.slice(0, start) + JSON.stringify(cut.text) + out.slice(end);
  }
  return out;
}
