/** A fixed set of query workers over the shared head: requests go to the next free one, a dead one is restarted. */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { backoffDelay } from '../../sdk/backoff.js';
import type { TimerHandle, Timers } from '../schedule/index.js';
import { QueryError } from '../source/query-error.js';
import type { HeadShare } from '../store/share/head-share.js';
import { type Pending, PendingReplies } from './pending-replies.js';
import type {
  QueryWorkerInit,
  QueryWorkerMessage,
  QueryWorkerRequestName,
  QueryWorkerRequests,
  RequestMessage,
} from './protocol.js';
import type { QuerySlots } from './query-slots.js';
import { startEngineWorker } from './worker-entry.js';

/** Options of {@link QueryPool}. */
export interface QueryPoolOptions {
  /** What the pool serves, in messages: `KPI query worker`, `API query worker`. */
  readonly name: string;
  /** Workers in the pool: queries evaluated at once. */
  readonly size: number;
  /** The reader number of the first worker (its pin in the head's share); the rest follow. */
  readonly firstReader: number;
  /** The stop flags its queries are stopped through. */
  readonly slots: QuerySlots;
  readonly maxSamples?: number;
  readonly maxResultBytes?: number;
  /** How much lower than the process's the workers' CPU priority is (Linux). */
  readonly nice: number;
  /** Asks the engine worker to tell a new reader of the head on this port. */
  readonly attach: (reader: number, port: MessagePort) => Promise<void>;
  /** First and longest wait before restarting a dead worker, ms. */
  readonly restartDelayMs: { readonly first: number; readonly max: number };
  readonly report: (message: string, err?: unknown) => void;
  readonly timers: Timers;
  /**
   * How long past its own time budget a query may keep its worker busy before the worker is
   * ended and restarted, ms. Default {@link STUCK_GRACE_MS}.
   */
  readonly stuckGraceMs?: number;
  /** Starts a worker thread; tests give a stand-in. Default: the query worker entry. */
  readonly spawn?: (init: QueryWorkerInit) => Worker;
}

interface Job {
  readonly name: QueryWorkerRequestName;
  readonly body: unknown;
  readonly pending: Pending;
}

interface Member {
  readonly reader: number;
  worker: Worker | undefined;
  state: 'starting' | 'ready' | 'restarting' | 'stopped';
  busy: boolean;
  readonly replies: PendingReplies;
  attempt: number;
  readyAt: number;
  timer: TimerHandle | undefined;
  /** Ends the worker if its request runs far past its budget. */
  watchdog: TimerHandle | undefined;
}

/** The head the workers read, as the engine worker that writes it gave it. */
interface HeadContext {
  readonly share: HeadShare;
  readonly chunkDir?: string;
}

/**
 * A query checks its stop flag as it reads, so it ends soon after its budget; a worker still
 * busy this long after it has met a loop that never checks, and would hold its seat forever.
 */
export const STUCK_GRACE_MS = 10_000;

/** A healthy spell this long resets a worker's restart backoff. */
const BACKOFF_RESET_MS = 30_000;

/**
 * Query workers reading one head. A request waits in order until a worker is free, so a long
 * query holds up one worker, never the others or anything outside the pool. A worker that dies
 * fails the request it ran, its pin on the head is cleared, and it is restarted after a backoff.
 *
 * @example
 * ```ts
 * const pool = new QueryPool({ name: 'API query worker', size: 2, firstReader: 1, … });
 * pool.start(share, chunkDir); // when the engine worker is ready
 * const labels = await pool.call('series', { matchers });
 * ```
 */
export class QueryPool {
  readonly #options: QueryPoolOptions;
  readonly #members: Member[];
  #queue: Job[] = [];
  #head: HeadContext | undefined;
  #closed = false;
  #restarts = 0;
  #everReady = false;
  #waiters: { resolve(): void; reject(err: Error): void }[] = [];

  constructor(options: QueryPoolOptions) {
    this.#options = options;
    this.#members = Array.from({ length: options.size }, (_, i) => ({
      reader: options.firstReader + i,
      worker: undefined,
      state: 'stopped' as const,
      busy: false,
      replies: new PendingReplies(),
      attempt: 0,
      readyAt: 0,
      timer: undefined,
      watchdog: undefined,
    }));
  }

  /** The stop flags of the pool's queries: `--query.max-concurrency` of them for the API. */
  get slots(): QuerySlots {
    return this.#options.slots;
  }

  /** Workers restarted after one died. */
  get restarts(): number {
    return this.#restarts;
  }

  /** True while a worker can take requests. */
  ready(): boolean {
    return this.#members.some((m) => m.state === 'ready');
  }

  /** Resolves once a worker is ready; rejects if the first one exits before it ever is. */
  whenReady(): Promise<void> {
    if (this.ready()) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Why requests are refused now, or `undefined` when they are taken. */
  unavailable(): string | undefined {
    if (this.ready()) return undefined;
    if (this.#closed) return `${this.#options.name}s closed`;
    return this.#members.some((m) => m.state === 'restarting')
      ? `${this.#options.name} restarting`
      : `${this.#options.name}s starting`;
  }

  /** Starts every worker over the head the engine worker now writes. */
  start(share: HeadShare, chunkDir?: string): void {
    if (this.#closed) return;
    this.#head = { share, chunkDir };
    for (const m of this.#members) {
      m.attempt = 0;
      this.#spawn(m);
    }
  }

  /**
   * Ends every worker, since the head they read is gone (its writer died or closed); what they
   * run and what waits reject with `why`. `start` begins again.
   */
  async stop(why: string): Promise<void> {
    this.#head = undefined;
    const ending: Promise<number>[] = [];
    for (const m of this.#members) {
      m.state = 'stopped';
      this.#options.timers.clearTimeout(m.timer);
      this.#options.timers.clearTimeout(m.watchdog);
      m.watchdog = undefined;
      if (m.worker !== undefined) ending.push(m.worker.terminate());
      m.worker = undefined;
      m.busy = false;
      m.replies.failAll(why);
    }
    this.#failQueued(why);
    await Promise.all(ending);
  }

  /** Stops for good. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stop(`${this.#options.name}s closed`);
  }

  /** Ends worker `i` as a crash would; the pool restarts it. For tests and drills. */
  async kill(i = 0): Promise<void> {
    await this.#members[i]?.worker?.terminate();
  }

  /** Runs a request on the next free worker; `pending` hears its reply, or why it failed. */
  send(name: QueryWorkerRequestName, body: unknown, pending: Pending): void {
    const refused = this.unavailable();
    if (refused !== undefined) {
      pending.settle?.();
      pending.reject(new QueryError('unavailable', refused));
      return;
    }
    this.#queue.push({ name, body, pending });
    this.#pump();
  }

  /** {@link send} as a promise of the reply. */
  call<K extends QueryWorkerRequestName>(
    name: K,
    body: QueryWorkerRequests[K]['request'],
  ): Promise<QueryWorkerRequests[K]['reply']> {
    return new Promise((resolve, reject) => {
      this.send(name, body, {
        resolve: (b) => resolve(b as QueryWorkerRequests[K]['reply']),
        reject,
      });
    });
  }

  #pump(): void {
    for (const m of this.#members) {
      if (this.#queue.length === 0) return;
      if (m.state !== 'ready' || m.busy || m.worker === undefined) continue;
      const job = this.#queue.shift()!;
      m.busy = true;
      const id = m.replies.add({
        resolve: job.pending.resolve,
        reject: job.pending.reject,
        settle: () => {
          this.#options.timers.clearTimeout(m.watchdog);
          m.watchdog = undefined;
          m.busy = false;
          job.pending.settle?.();
          queueMicrotask(() => this.#pump());
        },
      });
      m.worker.postMessage({
        type: 'request',
        id,
        name: job.name,
        body: job.body,
      } as RequestMessage<QueryWorkerRequests>);
      this.#watch(m, m.worker, job.body);
    }
  }

  /** Arms the watchdog of a request that carries a time budget (a query). */
  #watch(m: Member, worker: Worker, body: unknown): void {
    const budgetMs = (body as { budgetMs?: unknown } | null)?.budgetMs;
    if (typeof budgetMs !== 'number') return;
    const o = this.#options;
    const graceMs = o.stuckGraceMs ?? STUCK_GRACE_MS;
    m.watchdog = o.timers.setTimeout(() => {
      m.watchdog = undefined;
      if (m.worker !== worker || !m.busy) return;
      o.report(
        `${o.name} ${m.reader} is still busy ${graceMs} ms past its query's ${budgetMs} ms budget; ending it`,
      );
      // Its exit fails the request and restarts the worker, as a crash does.
      void worker.terminate();
    }, budgetMs + graceMs);
  }

  #failQueued(why: string): void {
    const queued = this.#queue;
    this.#queue = [];
    for (const job of queued) {
      job.pending.settle?.();
      job.pending.reject(new QueryError('unavailable', why));
    }
  }

  #spawn(m: Member): void {
    const head = this.#head;
    if (head === undefined || this.#closed) return;
    const o = this.#options;
    const { port1, port2 } = new MessageChannel();
    const init: QueryWorkerInit = {
      port: port2,
      share: head.share.buffer,
      reader: m.reader,
      chunkDir: head.chunkDir,
      stopFlags: o.slots.buffer,
      maxSamples: o.maxSamples,
      maxResultBytes: o.maxResultBytes,
      nice: o.nice,
    };
    const worker = o.spawn?.(init) ?? startEngineWorker(init, 'query-worker', [port2]);
    m.worker = worker;
    m.state = m.state === 'restarting' ? 'restarting' : 'starting';
    worker.on('message', (msg: QueryWorkerMessage) => this.#onMessage(m, worker, msg));
    worker.on('error', (err) => o.report(`${o.name} ${m.reader} failed`, err));
    worker.on('exit', (code) => this.#onExit(m, worker, code));
    o.attach(m.reader, port1).catch((err: unknown) => {
      // The engine worker went away before it could feed this reader: it never gets ready.
      if (m.worker === worker) o.report(`${o.name} ${m.reader} could not attach`, err);
      void worker.terminate();
    });
  }

  #onMessage(m: Member, worker: Worker, msg: QueryWorkerMessage): void {
    if (m.worker !== worker) return;
    if (msg.type === 'reply') {
      m.replies.answer(msg);
      return;
    }
    m.state = 'ready';
    m.readyAt = this.#options.timers.now();
    this.#everReady = true;
    for (const w of this.#waiters.splice(0)) w.resolve();
    this.#pump();
  }

  #onExit(m: Member, worker: Worker, code: number): void {
    if (m.worker !== worker) return;
    m.worker = undefined;
    m.busy = false;
    this.#options.timers.clearTimeout(m.watchdog);
    m.watchdog = undefined;
    const head = this.#head;
    head?.share.unpin(m.reader);
    const o = this.#options;
    m.replies.failAll(`${o.name} restarting`);
    if (m.state === 'stopped' || head === undefined || this.#closed) return;
    if (!this.#everReady) {
      // The very first worker never came up: a broken install, not a crash to ride out.
      const err = new Error(`${o.name} ${m.reader} exited with code ${code} before it was ready`);
      for (const w of this.#waiters.splice(0)) w.reject(err);
      void this.close();
      return;
    }
    if (o.timers.now() - m.readyAt > BACKOFF_RESET_MS) m.attempt = 0;
    const delay = backoffDelay(m.attempt++, o.restartDelayMs.first, o.restartDelayMs.max);
    m.state = 'restarting';
    if (!this.ready()) this.#failQueued(`${o.name} restarting`);
    o.report(`${o.name} ${m.reader} exited with code ${code}; restarting in ${delay} ms`);
    m.timer = o.timers.setTimeout(() => {
      if (m.state !== 'restarting' || this.#head !== head) return;
      this.#restarts++;
      this.#spawn(m);
    }, delay);
  }
}
