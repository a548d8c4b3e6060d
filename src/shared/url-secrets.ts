/** The one rule for secrets inside URLs (user info, token-like query parameters), and the one way to hide them. */

/** What a hidden part of a URL reads as. */
export const URL_SECRET_MARK = '<redacted>';

/** Query parameter names that are secrets whatever else they contain. */
const SECRET_PARAM_WORDS = /token|secret|passw|apikey|api_key|signature|credential|private/;
/** Short names that are secrets only when they are the whole name (`key`, not `monkey`). */
const SECRET_PARAM_NAMES = new Set([
  'key',
  'sig',
  'auth',
  'authorization',
  'pwd',
  'pass',
  'jwt',
  'session',
  'sessionid',
  'session_id',
  'code',
]);

/**
 * Whether a query parameter of this name carries a secret: `token`, `auth_token`, `api_key`,
 * `apiKey`, `X-Amz-Signature`, `key`, `sig`, `password`, … Case and `-` versus `_` do not
 * matter, nor percent-encoding.
 *
 * @example
 * ```ts
 * isSecretParamName('auth_token'); // true
 * isSecretParamName('query'); // false
 * ```
 */
export function isSecretParamName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  const n = decoded.toLowerCase().replace(/-/g, '_');
  return SECRET_PARAM_NAMES.has(n) || SECRET_PARAM_WORDS.test(n);
}

/** The secret parts of one URL: its user info, and the names of its token-like parameters. */
export interface UrlSecrets {
  /** `user:password` or a lone `user` before the `@`; absent when there is none. */
  readonly userinfo?: string;
  /** Names of query parameters whose value is a secret, in order. */
  readonly params: readonly string[];
  /** The hidden text itself: the user info, then each secret parameter's value. */
  readonly hidden: readonly string[];
}

// A scheme, `//`, then the authority up to the path; user info is what comes before an `@`.
const URL_IN_TEXT = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^\s"'<>`]*)/g;
const PARAM = /([?&;])([^\s=&;#"'<>`]+)=([^\s&;#"'<>`]*)/g;

function authorityEnd(rest: string): number {
  const m = /[/?#]/.exec(rest);
  return m ? m.index : rest.length;
}

/**
 * The secret parts of a URL, or undefined when it has none. What counts is the same as for
 * {@link redactUrlSecrets}, so a check and a redaction never disagree.
 *
 * @example
 * ```ts
 * urlSecrets('https://u:p@host/x?auth_token=abc&q=1');
 * // { userinfo: 'u:p', params: ['auth_token'], hidden: ['u:p', 'abc'] }
 * ```
 */
export function urlSecrets(url: string): UrlSecrets | undefined {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url);
  if (!m) return undefined;
  const rest = url.slice(m[0].length);
  const end = authorityEnd(rest);
  const authority = rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const params: string[] = [];
  const hidden = userinfo === undefined ? [] : [userinfo];
  for (const p of rest.slice(end).matchAll(PARAM)) {
    if (!isSecretParamName(p[2])) continue;
    params.push(p[2]);
    hidden.push(p[3]);
  }
  if (userinfo === undefined && params.length === 0) return undefined;
  return { ...(userinfo !== undefined && { userinfo }), params, hidden };
}

/**
 * Hides the secrets of every URL in a text: a password in the user info (a lone user name, often
 * a token itself, goes whole) and the values of token-like query parameters. The rest stays, so
 * a reader still sees where a request went. Text without URLs comes back as it was; hiding twice
 * changes nothing more.
 *
 * @param mark What a hidden part reads as; default `<redacted>`.
 * @example
 * ```ts
 * redactUrlSecrets('fetch http://ops:hunter2@prom:9090/api?auth_token=abc&q=up failed');
 * // 'fetch http://ops:<redacted>@prom:9090/api?auth_token=<redacted>&q=up failed'
 * ```
 */
export function redactUrlSecrets(text: string, mark: string = URL_SECRET_MARK): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (_all, scheme: string, rest: string) => {
    const end = authorityEnd(rest);
    let authority = rest.slice(0, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      const shown = colon >= 0 ? `${userinfo.slice(0, colon)}:${mark}` : mark;
      authority = `${shown}${authority.slice(at)}`;
    }
    const tail = rest.slice(end).replace(PARAM, (p, sep: string, name: string, value: string) =>
      // An empty value hides nothing (and is what a second pass sees before a mark).
      isSecretParamName(name) && value !== '' && value !== mark ? `${sep}${name}=${mark}` : p,
    );
    return `${scheme}${authority}${tail}`;
  });
}
