/** A real KPI server over HTTP for the API contract tests: token reads, a read and a write token, a gauge target. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

export const API_READ_TOKEN = 'api-test-read-token-0123456789';
export const API_WRITE_TOKEN = 'api-test-write-token-0123456789';
/** A second writer, for the two-person rule's approvals. */
export const API_APPROVER_TOKEN = 'api-test-approver-token-0123456789';

/**
 * One KPI over the target's gauge, with an objective, evaluated every second; reading needs a token.
 *
 * @example
 * ```ts
 * writeFileSync(configPath, apiPolicy('http://127.0.0.1:9100/metrics', 12));
 * ```
 */
export function apiPolicy(targetUrl: string, warning = 10): string {
  return `scrape: { interval: 1s, timeout: 1s }
targets:
  - url: ${targetUrl}
    labels: { service: efile }
kpis:
  - id: depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: ${warning}, critical: 20 }
    objective: 0.99
auth:
  read: token
  tokens:
    - { name: reader, token: ${API_READ_TOKEN}, scopes: [read] }
    - { name: deploy, token: ${API_WRITE_TOKEN}, scopes: [read, write] }
    - { name: approver, token: ${API_APPROVER_TOKEN}, scopes: [read, write] }
evaluation: { interval: 1s }
`;
}

/** A running server and its target. */
export interface ApiServer {
  readonly url: string;
  readonly handle: ServerHandle;
  readonly targetUrl: string;
  /** `fetch` against the server, with a bearer token when given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts a target exposing `queue_depth` and a KPI server scraping it, in a temporary folder.
 *
 * @example
 * ```ts
 * const api = await startApiServer();
 * const res = await api.request('/api/v1/kpis', { token: API_READ_TOKEN });
 * await api.close();
 * ```
 */
export async function startApiServer(): Promise<ApiServer> {
  const target = new Hono().get('/metrics', (c) =>
    c.text('# TYPE queue_depth gauge\nqueue_depth 3\n'),
  );
  const targetServer = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: target.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const targetUrl = `http://127.0.0.1:${(targetServer.address() as AddressInfo).port}/metrics`;
  const dir = mkdtempSync(join(tmpdir(), 'kpi-api-'));
  const configPath = join(dir, 'kpi-lights.yaml');
  writeFileSync(configPath, apiPolicy(targetUrl));
  const handle = await startServer({
    configPath,
    port: 0,
    dataDir: join(dir, 'data'),
    processMetrics: false,
    report: () => {},
  });
  return {
    url: handle.url,
    handle,
    targetUrl,
    request(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${handle.url}${path}`, { ...rest, headers });
    },
    async close() {
      await handle.close();
      await new Promise((r) => targetServer.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
