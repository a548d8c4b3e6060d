/** The absolute URL of an API path on the client's server, apart so the stream needs none of the request code. */
import type { Transport } from './client-transport.js';

/**
 * The absolute URL of an API path (no leading slash) with its query; a base URL with a path
 * (`https://example.gov/kpi/`) keeps it.
 *
 * @example
 * ```ts
 * apiUrl(transport, 'api/v1/kpis', { step: '1m' });
 * ```
 */
export function apiUrl(
  transport: Pick<Transport, 'baseUrl'>,
  path: string,
  query: Readonly<Record<string, string | undefined>> = {},
): string {
  const url = new URL(path, transport.baseUrl);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}
