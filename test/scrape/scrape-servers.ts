/** Real HTTP servers on 127.0.0.1 for the scrape tests, and readers of what the scraper stored. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isStaleNaN } from '../../src/server/model/model.js';
import type { HeadStore } from '../../src/server/store/types.js';

/** A running test server. */
export interface TestServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a free port; `close` also ends lingering connections. */
export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A well-behaved target: a few lines of the classic text format. */
export function healthyTarget(): Promise<TestServer> {
  return serve((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    res.end(
      '# HELP healthy_requests_total Requests.\n# TYPE healthy_requests_total counter\n' +
        'healthy_requests_total{code="200"} 42\nhealthy_requests_total{code="500"} 1\n',
    );
  });
}

/** Every sample of every series matching `name` and `instance`, as [labels, t[], v[]]. */
export function stored(store: HeadStore, name: string, instance?: string) {
  const matchers = [{ name: '__name__', type: '=' as const, value: name }];
  if (instance) matchers.push({ name: 'instance', type: '=' as const, value: instance });
  return store.select(matchers).map((s) => {
    const run = store.samples(s.ref, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER);
    return {
      labels: s.labels,
      t: Array.from({ length: run.length }, (_, i) => run.t[i]),
      v: Array.from({ length: run.length }, (_, i) => run.v[i]),
      // Read from the run itself: a JS array of doubles may canonicalise the marker's NaN bits.
      stale: Array.from({ length: run.length }, (_, i) => isStaleNaN(run.v[i])),
    };
  });
}

/** The last value of the one series `name` of `instance`, or undefined. */
export function lastValue(store: HeadStore, name: string, instance: string): number | undefined {
  const [s] = stored(store, name, instance);
  return s?.v[s.v.length - 1];
}

/** True when the last sample of the one series `name` of `instance` is a staleness marker. */
export function lastIsStale(store: HeadStore, name: string, instance: string): boolean {
  const [s] = stored(store, name, instance);
  return s?.stale[s.stale.length - 1] ?? false;
}

/** `host:port` of a test server, the `instance` label of its series. */
export function instanceOf(t: TestServer): string {
  return `127.0.0.1:${t.port}`;
}
