/** Finds every secret in a policy document, through YAML aliases and merge keys: tokens, SMTP passwords, webhook URLs and headers, source headers, secrets inside any URL. */
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Scalar,
  visit,
} from 'yaml';
import { urlSecrets } from '../../shared/url-secrets.js';
import type { FieldPath } from './yaml-position.js';

/**
 * How much of a secret's text is hidden: `whole` (a token, a header value), `endpoint` (a
 * webhook URL, often a secret itself: only its origin shows), `url` (a URL's password and
 * token-like parameters; where it goes still shows).
 */
export type SecretKind = 'whole' | 'endpoint' | 'url';

/** One secret where the policy uses it. */
export interface PolicySecret {
  /** Where it is used, e.g. `auth.tokens[1].token`. */
  readonly path: FieldPath;
  /** The scalar that holds it, wherever it is written (an alias's anchor, a merged map). */
  readonly node: Scalar<string>;
  readonly kind: SecretKind;
  /** The hidden text (for a URL, only its secret parts), for change checks and the digest. */
  readonly hidden: string;
  /** The aliases (and merge keys' aliases) the lookup went through; empty when written in place. */
  readonly through: readonly Alias[];
  /**
   * False for a URL with a secret found outside the fields that hold secrets (a description,
   * a label, a runbook link): readers see those fields as written.
   */
  readonly inSecretField: boolean;
}

/** A node as reached from the root, with the aliases passed on the way. */
interface Ref {
  readonly node: unknown;
  readonly through: readonly Alias[];
}

/** Deep enough for any sane policy; a cycle of aliases cannot loop forever. */
const MAX_DEPTH = 64;

/** Lookups one walk may make: thousands for a large policy, far short of an alias bomb's. */
const MAX_STEPS = 50_000;

/** A document too tangled in aliases and merges to walk within the budget; the caller hides it whole. */
export class PolicySecretsTooTangled extends Error {
  override readonly name = 'PolicySecretsTooTangled';
}

/** Lookups in one document, aliases and merge keys resolved, on a budget of steps. */
class Walker {
  #steps = 0;
  /** `Alias.resolve` searches the document each time: once per alias is enough. */
  readonly #resolved = new Map<Alias, unknown>();

  constructor(private readonly doc: Document) {}

  #tick(): void {
    if (++this.#steps > MAX_STEPS) {
      throw new PolicySecretsTooTangled('the policy nests aliases and merge keys too deeply');
    }
  }

  deref(ref: Ref): Ref {
    let { node, through } = ref;
    for (let i = 0; i < MAX_DEPTH && isAlias(node); i++) {
      this.#tick();
      through = [...through, node];
      const alias = node;
      if (!this.#resolved.has(alias)) this.#resolved.set(alias, alias.resolve(this.doc));
      node = this.#resolved.get(alias);
    }
    return { node, through };
  }

  /** A map's effective entries, merge keys resolved: explicit keys first, then earlier merges. */
  entries(ref: Ref, depth = 0): Map<string, Ref> {
    this.#tick();
    const out = new Map<string, Ref>();
    const { node, through } = this.deref(ref);
    if (!isMap(node) || depth > MAX_DEPTH) return out;
    const merges: Ref[] = [];
    for (const pair of node.items) {
      this.#tick();
      if (isMergeKey(pair.key)) {
        const source = this.deref({ node: pair.value, through });
        const list = isSeq(source.node) ? source.node.items : [source.node];
        for (const item of list) merges.push({ node: item, through: source.through });
      } else if (isScalar(pair.key)) {
        out.set(String(pair.key.value), { node: pair.value, through });
      }
    }
    for (const m of merges) {
      for (const [key, value] of this.entries(m, depth + 1)) if (!out.has(key)) out.set(key, value);
    }
    return out;
  }

  items(ref: Ref | undefined): Ref[] {
    if (!ref) return [];
    const { node, through } = this.deref(ref);
    return isSeq(node) ? node.items.map((item) => ({ node: item, through })) : [];
  }

  child(ref: Ref | undefined, key: string): Ref | undefined {
    return ref && this.entries(ref).get(key);
  }
}

const isMergeKey = (key: unknown) =>
  isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<') && key.source === '<<';

/**
 * Every secret of a parsed policy document, each at the path where it is used. A secret given
 * through an alias or a merge key is found at the scalar it resolves to, so hiding that scalar
 * hides it where it is written. Any other string that is a URL with a password or a token-like
 * parameter counts too, wherever it sits.
 *
 * @example
 * ```ts
 * findPolicySecrets(parseDocument(text)).map((s) => s.path.join('.')); // ['auth.tokens.0.token', …]
 * ```
 */
export function findPolicySecrets(doc: Document): PolicySecret[] {
  const walk = new Walker(doc);
  const out: PolicySecret[] = [];
  const seen = new Set<Scalar>();
  const add = (path: FieldPath, ref: Ref | undefined, kind: SecretKind, inSecretField = true) => {
    if (!ref) return;
    const { node, through } = walk.deref(ref);
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
    const value = node.value;
    const parts = kind === 'url' ? urlSecrets(value) : undefined;
    if (kind === 'url' && !parts) return;
    const hidden = parts ? JSON.stringify(parts.hidden) : value;
    out.push({ path, node: node as Scalar<string>, kind, hidden, through, inSecretField });
    seen.add(node);
  };
  const root: Ref = { node: doc.contents, through: [] };
  const tokens = walk.child(walk.child(root, 'auth'), 'tokens');
  for (const [i, token] of walk.items(tokens).entries()) {
    add(['auth', 'tokens', i, 'token'], walk.child(token, 'token'), 'whole');
  }
  const receivers = walk.child(root, 'receivers');
  for (const [name, receiver] of receivers ? walk.entries(receivers) : []) {
    const at = (...rest: PropertyKey[]): FieldPath => ['receivers', name, ...rest];
    add(at('email', 'smtp'), walk.child(walk.child(receiver, 'email'), 'smtp'), 'url');
    const webhook = walk.child(receiver, 'webhook');
    add(at('webhook', 'url'), walk.child(webhook, 'url'), 'endpoint');
    const hooked = walk.child(webhook, 'headers');
    for (const [header, value] of hooked ? walk.entries(hooked) : []) {
      add(at('webhook', 'headers', header), value, 'whole');
    }
    const alertmanager = walk.child(receiver, 'alertmanager');
    add(at('alertmanager', 'url'), walk.child(alertmanager, 'url'), 'url');
  }
  const prometheus = walk.child(walk.child(root, 'source'), 'prometheus');
  add(['source', 'prometheus', 'url'], walk.child(prometheus, 'url'), 'url');
  const headers = walk.child(prometheus, 'headers');
  for (const [header, value] of headers ? walk.entries(headers) : []) {
    add(['source', 'prometheus', 'headers', header], value, 'whole');
  }
  for (const [i, t] of walk.items(walk.child(root, 'targets')).entries()) {
    add(['targets', i, 'url'], walk.child(t, 'url'), 'url');
  }
  // Anything else that is a URL with a secret in it, wherever it is written.
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (seen.has(node) || typeof node.value !== 'string' || !node.value.includes('://')) return;
      add(fieldPathOf(ancestors, node), { node, through: [] }, 'url', false);
    },
  });
  return out;
}

/** A secret in a place readers see: written there, or shared with it through an anchor. */
export interface SharedSecretProblem {
  /** Where readers would see it: the anchored scalar, or the alias. */
  readonly offset: number;
  readonly path: FieldPath;
  readonly message: string;
}

/**
 * Places where a secret would be readable: a URL with a secret (user info, `?token=`) in a
 * field readers see (a runbook link, a description, a label); a secret written in such a field
 * and used as a secret through an alias (`description: &t …` then `token: *t`); an alias that
 * repeats a secret (or a map holding one) outside a secret field (`description: *t`). Served
 * policy text is redacted either way, but the field itself (a KPI's description, a label, an
 * alert's runbook) is served as it is, so the policy is refused.
 *
 * @example
 * ```ts
 * sharedSecretProblems(parseDocument('kpis: [{ description: &t x }]\nauth: { tokens: [{ token: *t }] }'));
 * ```
 */
export function sharedSecretProblems(doc: Document): SharedSecretProblem[] {
  const secrets = findPolicySecrets(doc);
  const direct = new Set<Scalar>(secrets.filter((s) => s.through.length === 0).map((s) => s.node));
  const used = new Set(secrets.flatMap((s) => s.through));
  const nodes = new Set<Scalar>(secrets.map((s) => s.node));
  const name = (s: PolicySecret) => formatFieldPath(s.path);
  const out: SharedSecretProblem[] = [];
  const reported = new Set<unknown>();
  for (const s of secrets.filter((x) => !x.inSecretField)) {
    reported.add(s.node);
    out.push({
      offset: s.node.range?.[0] ?? 0,
      path: s.path,
      message:
        'a URL here carries a secret (user info, or a token-like query parameter), and every reader sees this field; leave it out',
    });
  }
  for (const s of secrets) {
    if (direct.has(s.node) || reported.has(s.node)) continue;
    reported.add(s.node);
    out.push({
      offset: s.node.range?.[0] ?? 0,
      path: homePath(doc, s.node),
      message: `this value is the secret ${name(s)} (through an alias); readers see this field, so write the secret only where it is used`,
    });
  }
  visit(doc, {
    Alias(_key, alias, ancestors) {
      if (used.has(alias)) return;
      const target = alias.resolve(doc);
      let holds: Scalar | undefined;
      if (isScalar(target) && nodes.has(target)) holds = target;
      else if (target && !isScalar(target)) {
        visit(target, {
          Scalar(_k, n) {
            if (nodes.has(n)) {
              holds = n;
              return visit.BREAK;
            }
          },
        });
      }
      if (!holds) return;
      const secret = secrets.find((s) => s.node === holds)!;
      out.push({
        offset: alias.range?.[0] ?? 0,
        path: fieldPathOf(ancestors, alias),
        message: `this alias repeats the secret ${name(secret)} in a field readers see; write the secret only where it is used`,
      });
    },
  });
  return out;
}

/** `auth.tokens[1].token`: a field path as issues show it. */
function formatFieldPath(path: FieldPath): string {
  return path
    .map((seg, i) =>
      typeof seg === 'number' ? `[${seg}]` : i === 0 ? String(seg) : `.${String(seg)}`,
    )
    .join('');
}

/** The path from the document root to `node`, given visit's ancestors. */
function fieldPathOf(ancestors: readonly unknown[], node: unknown): FieldPath {
  const chain = [...ancestors, node];
  const out: PropertyKey[] = [];
  for (let i = 0; i < chain.length - 1; i++) {
    const [a, b] = [chain[i], chain[i + 1]];
    if (isSeq(a)) out.push(a.items.indexOf(b as never));
    else if (isPair(a) && a.value === b) out.push(isScalar(a.key) ? String(a.key.value) : '?');
  }
  return out;
}

/** Where a node is written, as a field path. */
function homePath(doc: Document, target: unknown): FieldPath {
  let found: FieldPath = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (node !== target) return;
      found = fieldPathOf(ancestors, node);
      return visit.BREAK;
    },
  });
  return found;
}
