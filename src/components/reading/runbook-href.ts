/** Lets only http(s) runbook links through, so a policy cannot plant a `javascript:` link. */

/**
 * The URL to link to, or `undefined` when it is not an absolute `http:` or `https:` URL.
 *
 * @example
 * ```ts
 * runbookHref('https://intranet.example.gov/runbooks/efile'); // the same URL
 * runbookHref('javascript:alert(1)');                        // undefined
 * ```
 */
export function runbookHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
