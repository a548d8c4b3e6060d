/** The page's default client: the live stream in the first chunk, the chart's requests loaded with the first one asked. */
import { platformRuntime } from '../../sdk/client-runtime.js';
import { clientTransport } from '../../sdk/client-transport.js';
import type { ClientOptions, KpiLightsClient } from '../../sdk/client-types.js';
import { watchStream } from '../../sdk/watch-stream.js';

/** What the components ask of a client: the stream, and a chart's history and budget. */
export type PageClient = Pick<KpiLightsClient, 'watch' | 'history' | 'budgetHistory'>;

/**
 * The SDK's client, split for the page: `watch` is here, and the request code (retries, time
 * limits, query parameters) is imported from the same server when a chart first asks, so a page
 * of lights never loads it.
 *
 * @example
 * ```ts
 * const client = pageClient({ baseUrl: 'https://kpi.example.gov' });
 * for await (const event of client.watch({ signal })) console.log(event.type);
 * ```
 */
export function pageClient(options: ClientOptions): PageClient {
  const transport = clientTransport(options, platformRuntime);
  let requests: Promise<KpiLightsClient> | undefined;
  const full = () =>
    (requests ??= import('../../sdk/create-client.js').then(
      (sdk) => sdk.createClient(options),
      (error: unknown) => {
        requests = undefined;
        throw error;
      },
    ));
  return {
    watch: (o) => watchStream(transport, o),
    history: (id, o) => full().then((client) => client.history(id, o)),
    budgetHistory: (id, o) => full().then((client) => client.budgetHistory(id, o)),
  };
}
