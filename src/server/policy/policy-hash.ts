/** The public hash of a policy text (ETag, versions): the redacted text, plus a keyed digest of its secrets. */
import { createHash, createHmac } from 'node:crypto';
import { parsePolicyDocument, redactPolicy, secretsOf } from './redact-policy.js';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The keyed digest of a text's secrets: HMAC-SHA256, under a key only the server holds, of
 * each secret's place and hidden value. Undefined when the text has no secrets.
 */
export function secretDigest(text: string, key: Uint8Array): string | undefined {
  const doc = parsePolicyDocument(text);
  const secrets = (doc && secretsOf(doc))
    ?.map((s) => [JSON.stringify(s.path), s.hidden])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!secrets || secrets.length === 0) return undefined;
  return createHmac('sha256', key).update(JSON.stringify(secrets)).digest('hex');
}

/**
 * The public hash of a policy (ETag, `/policy/versions`): sha256 of the text as readers see it,
 * secrets redacted, with the keyed digest of its secrets folded in. So a change that touches
 * only a secret (a rotated token) changes the ETag, and a stale `If-Match` loses, while nobody
 * without the key (kept in the server's database, never served) can check a guessed secret
 * against it offline. A text without secrets hashes as `sha256sum` would; without a key the
 * digest is left out.
 *
 * @example
 * ```ts
 * publicPolicyHash('kpis: []\n'); // sha256 of 'kpis: []\n'
 * publicPolicyHash(text, key); // changes when only a token in `text` changes
 * ```
 */
export function publicPolicyHash(text: string, key?: Uint8Array): string {
  const redacted = redactPolicy(text);
  const digest = key && secretDigest(text, key);
  return sha256(digest === undefined ? redacted : `${redacted}\n\0secrets ${digest}`);
}
