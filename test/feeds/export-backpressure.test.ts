/** A consumer of the sample feed that stops reading does not grow the server's memory: the server runs in a child process and we read its RSS. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExposition } from '#test-support/generate-exposition.js';
import { freePort } from '#test-support/prometheus-server.js';

const TOKEN = 'pipeline-token-0123456789';
/**
 * Series the target exposes, and how many of its scrapes succeed: together, the size of the
 * export (about 19 B a sample as NDJSON, so 70 × 40 000 samples give some 50 MiB), whatever
 * the machine's speed.
 */
const SERIES = 40_000;
const SCRAPES = 70;
const SCRAPE_MS = 200;
/**
 * What a stalled export may add to the server's RSS. The server holds one page (10 000 samples,
 * a few hundred kB of JSON) and the socket's user-space buffer; the rest waits in the kernel's
 * socket buffers, which are not the process's memory. The bound leaves room for the garbage
 * the server's heaps make before a collection (its anonymous memory grew by 3 to 25 MiB in
 * stalls on Node 24, most when the machine was busiest), and is at most two thirds of the
 * export's size (asserted), so a server that read ahead, holding at least the export's bytes,
 * could not pass.
 */
const RSS_BOUND_BYTES = 32 * 1024 * 1024;
const STALL_MS = 3_000;

/** The stall: long enough for a server that read ahead to have filled its memory. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The resident set of a process, from Linux's /proc. */
function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Opens the export on a raw socket, so the test decides when bytes are read. */
function openExport(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `GET /api/v1/export/samples HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
  );
  return socket;
}

describe.skipIf(process.platform !== 'linux')('sample feed backpressure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lights-export-'));
  const body = generateExposition({ series: SERIES }).text;
  let served = 0;
  let refused = 0;
  let enoughServed: () => void;
  const scraped = new Promise<void>((r) => (enoughServed = r));
  let target: Server;
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    target = createServer((_req, res) => {
      // After SCRAPES good scrapes the target fails, so the head stops growing while we
      // measure; the test goes on once the server has been refused a few times.
      const serving = served < SCRAPES;
      if (serving) served++;
      else if (++refused === 3) enoughServed();
      res.writeHead(serving ? 200 : 503, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(serving ? body : 'gone');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const address = target.address();
    const targetPort = typeof address === 'object' && address ? address.port : 0;
    const config = join(dir, 'kpi-lights.yaml');
    writeFileSync(
      config,
      `scrape: { interval: ${SCRAPE_MS}ms, timeout: ${SCRAPE_MS}ms }
targets:
  - url: http://127.0.0.1:${targetPort}/metrics
kpis:
  - id: up
    title: Up
    query: avg(up)
    unit: ratio
    direction: lower-is-worse
    thresholds: { warning: 1, critical: 0.5 }
auth:
  read: public
  tokens:
    - { name: pipeline, token: ${TOKEN}, scopes: [read] }
`,
    );
    port = await freePort();
    // Node itself with tsx as a loader, so the pid is the server's own, not a wrapper's.
    child = spawn(
      process.execPath,
      [
        // Since Node 22, V8 lets the young generation grow to 64 MB semi-spaces (from 16) in a
        // burst of allocation and keeps that room: +25 MiB of RSS in this stall on Node 24,
        // +4 MiB with Node 20's 16. The bound is about what the server buffers, so the young
        // generation is held at 16 MB here; a server reading ahead would still outgrow it.
        '--max-semi-space-size=16',
        '--import',
        'tsx',
        'src/server/cli/cli.ts',
        'serve',
        '--config',
        config,
        '--port',
        String(port),
        '--data-dir',
        join(dir, 'data'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stderr?.on('data', (d) => (out += d));
    child.once('exit', () => enoughServed());
    await scraped;
    if (served < SCRAPES) throw new Error(`the server stopped after ${served} scrapes:\n${out}`);
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => target?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the server to a bounded RSS while a consumer reads nothing, and sends it all once it reads', async () => {
    const pid = child.pid as number;
    const socket = openExport(port);
    let received = 0;
    // Take the headers and a first chunk, then stop reading.
    await new Promise<void>((resolve) => {
      socket.once('data', (chunk: Buffer) => {
        received += chunk.length;
        socket.pause();
        resolve();
      });
    });
    const before = rssBytes(pid);
    await sleep(STALL_MS);
    const stalled = rssBytes(pid);

    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    const closed = new Promise((r) => socket.once('close', r));
    socket.resume();
    await closed;
    console.info(
      `export ${(received / 2 ** 20).toFixed(1)} MiB; server RSS ${(before / 2 ** 20).toFixed(0)} MiB before the stall, ${(stalled / 2 ** 20).toFixed(0)} MiB after ${STALL_MS} ms of it (+${((stalled - before) / 2 ** 20).toFixed(1)} MiB, bound ${RSS_BOUND_BYTES / 2 ** 20} MiB)`,
    );
    expect(stalled - before).toBeLessThanOrEqual(RSS_BOUND_BYTES);
    // The export is well past the bound, so reading ahead into memory would have broken it.
    expect(received).toBeGreaterThan(1.5 * RSS_BOUND_BYTES);
  }, 120_000);
});
