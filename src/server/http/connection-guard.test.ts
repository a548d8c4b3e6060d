/** The connection guard over real sockets from several local addresses: slowloris timed out, caps per client and in total, probes answered. */
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionLimits, guardConnections } from './connection-guard.js';
import { fitToDescriptors, openFileLimit } from './descriptor-budget.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function guarded(limits: ConnectionLimits) {
  const guard = guardConnections(limits);
  const server = guard.createServer({}, (req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`served ${req.url}`);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { guard, port: (server.address() as AddressInfo).port };
}

/** A raw connection from `from` (any 127.x address is this machine), sending `payload`. */
function raw(port: number, from: string, payload = '') {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  sockets.push(socket);
  const opened = Date.now();
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (text += d));
  socket.on('error', () => {});
  const connected = new Promise<void>((r) => socket.once('connect', () => r()));
  if (payload) void connected.then(() => socket.write(payload));
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) =>
    socket.once('close', () => resolve({ text, afterMs: Date.now() - opened })),
  );
  return { socket, connected, closed };
}

const HALF = 'GET /api/v1/kpis HTTP/1.1\r\nHost: x\r\n';
const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

describe('guardConnections', () => {
  it('answers a half-sent request 408 and closes it at the header timeout, not a minute later', async () => {
    const { port } = await guarded({ headersTimeoutMs: 500 });
    const { closed } = raw(port, '127.0.0.1', HALF);
    const { text, afterMs } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    // The timeout, plus at most one check interval (500 ms here, 1 s at most).
    expect(afterMs).toBeGreaterThanOrEqual(450);
    expect(afterMs).toBeLessThan(2_000);
  });

  it('refuses a client past its share with 429 and a problem body, yet answers its /readyz', async () => {
    const { port, guard } = await guarded({ maxConnectionsPerClient: 3 });
    const held = Array.from({ length: 3 }, () => raw(port, '127.0.0.1', HALF));
    await Promise.all(held.map((h) => h.connected));
    const refused = raw(port, '127.0.0.1', request('/api/v1/kpis'));
    const { text } = await refused.closed;
    expect(text).toMatch(/^HTTP\/1\.1 429 /);
    expect(text).toContain('content-type: application/problem+json');
    expect(text).toContain(
      '"detail":"this client address holds its most connections (3); close some first"',
    );
    const probe = raw(port, '127.0.0.1', request('/readyz'));
    expect((await probe.closed).text).toMatch(/^HTTP\/1\.1 200 [\s\S]*served \/readyz$/);
    // Another address is not held back by this one.
    const other = raw(port, '127.0.0.2', request('/api/v1/kpis'));
    await other.connected;
    await new Promise((r) => setTimeout(r, 50));
    expect(guard.stats()).toEqual({ open: 4, refused: { total: 0, perClient: 2 } });
  });

  it('refuses everyone past the total with 503, and probes still get through', async () => {
    const { port, guard } = await guarded({ maxConnections: 4, maxConnectionsPerClient: 0 });
    const held = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].map((a) =>
      raw(port, a, HALF),
    );
    await Promise.all(held.map((h) => h.connected));
    const refused = raw(port, '127.0.0.6', request('/api/v1/kpis'));
    const { text } = await refused.closed;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toContain('"detail":"the server holds its most connections (4); try again later"');
    expect(text.toLowerCase()).toContain('retry-after: 1');
    const probe = raw(port, '127.0.0.7', request('/healthz'));
    expect((await probe.closed).text).toContain('served /healthz');
    expect(guard.stats().refused.total).toBe(2);
  });

  it('answers and closes at once past the refusal slots, so refused sockets are bounded too', async () => {
    // Two slots, one for each address: the second refused socket of an address gets no slot.
    const { port } = await guarded({ maxConnectionsPerClient: 1, refusalSlots: 2 });
    await raw(port, '127.0.0.1', HALF).connected;
    const graced = raw(port, '127.0.0.1', HALF);
    await graced.connected;
    const started = Date.now();
    // Sends nothing: the answer comes without any request.
    const { text, afterMs } = await raw(port, '127.0.0.1').closed;
    expect(text).toMatch(/^HTTP\/1\.1 429 /);
    expect(afterMs).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    // The graced one, which never finished its request, is answered at the end of its grace.
    expect((await graced.closed).text).toMatch(/^HTTP\/1\.1 429 /);
  });
});

describe('descriptor budget', () => {
  it('keeps a quarter of the open-file limit, at least 64, for everything but clients', () => {
    expect(fitToDescriptors(1_024, 64, 20_000)).toEqual({ maxConnections: 1_024 });
    const lowered = fitToDescriptors(1_024, 64, 1_024);
    expect(lowered.maxConnections).toBe(1_024 - 256 - 64);
    expect(lowered.lowered).toBe(
      'lowered --http.max-connections from 1024 to 704: the process may open 1024 files (ulimit -n), ' +
        'and keeps 256 for scrapes, the source and the database and 64 for refusing connections past the cap',
    );
    expect(fitToDescriptors(0, 64, 384).maxConnections).toBe(384 - 96 - 64);
    expect(fitToDescriptors(100, 64, undefined)).toEqual({ maxConnections: 100 });
  });

  it('reads the soft open-file limit', () => {
    const limits =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n';
    expect(openFileLimit(() => limits)).toBe(1_024);
    expect(openFileLimit(() => 'Max open files  unlimited unlimited files')).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('no /proc');
      }),
    ).toBeUndefined();
  });
});
