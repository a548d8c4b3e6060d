/** End to end: an instrumented app on a real @hono/node-server, scraped over loopback with fetch. */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFromContentType, parseExposition } from '../server/scrape/index.js';
import { createExporter } from './index.js';

describe('exporter on @hono/node-server', () => {
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    const exporter = createExporter({ constLabels: { service: 'filings-api', env: 'test' } });
    const app = new Hono();
    app.use(exporter.middleware);
    app.get('/metrics', exporter.handler);
    app.get('/filings/:id', (c) => c.json({ id: c.req.param('id') }));
    app.get('/boom', () => {
      throw new Error('handler failed');
    });
    app.onError((_err, c) => c.text('failed', 500));
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves both formats over HTTP, each readable by our parser', async () => {
    for (const path of ['/filings/1', '/filings/2', '/boom', '/scanner/probe.php']) {
      await (await fetch(base + path)).arrayBuffer();
    }
    await (await fetch(`${base}/filings/3`, { method: 'HEAD' })).arrayBuffer();
    const common = { service: 'filings-api', env: 'test' };
    for (const accept of [
      'text/plain;version=0.0.4',
      'application/openmetrics-text;version=1.0.0',
    ]) {
      const res = await fetch(`${base}/metrics`, { headers: { accept } });
      expect(res.status).toBe(200);
      const format = formatFromContentType(res.headers.get('content-type'));
      expect(format).toBe(accept.startsWith('text/') ? 'prometheus' : 'openmetrics');
      const { samples } = parseExposition(await res.text(), format);
      const count = (labels: Record<string, string>) =>
        samples.find(
          (s) =>
            s.name === 'http_requests_total' &&
            Object.entries({ ...common, ...labels }).every(([k, v]) => s.labels[k] === v),
        )?.value;
      expect(count({ method: 'GET', route: '/filings/:id', status: '200' })).toBe(2);
      expect(count({ method: 'HEAD', route: '/filings/:id', status: '200' })).toBe(1);
      expect(count({ method: 'GET', route: '/boom', status: '500' })).toBe(1);
      expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
      expect(
        samples.some(
          (s) => s.labels.route?.startsWith('/filings/') && s.labels.route !== '/filings/:id',
        ),
      ).toBe(false);
      const inf = samples.find(
        (s) =>
          s.name === 'http_request_duration_seconds_bucket' &&
          s.labels.route === '/filings/:id' &&
          s.labels.method === 'GET' &&
          s.labels.le === '+Inf',
      );
      expect(inf?.value).toBe(2);
    }
  });
});
