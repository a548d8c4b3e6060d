/** The e-file service's worker pool: requests wait for a free worker, so fewer workers mean more queueing. */
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';

/** The most workers the demo lets a service have; a typo must not mean a million. */
export const MAX_WORKERS = 64;

/**
 * A resizable pool of workers; a request holds one from its faults to its answer.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool(2);
 * await pool.run(() => handleFiling());
 * pool.resize(4); // queued requests start at once
 * ```
 */
export class WorkerPool {
  #size: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = WorkerPool.#checked(size);
  }

  static #checked(size: number): number {
    if (!Number.isInteger(size) || size < 1 || size > MAX_WORKERS) {
      throw new RangeError(`workers: expected a whole number 1..${MAX_WORKERS}, got ${size}`);
    }
    return size;
  }

  get size(): number {
    return this.#size;
  }

  /** What `GET /_knobs/workers` shows. */
  get state(): { readonly workers: number; readonly busy: number; readonly queued: number } {
    return { workers: this.#size, busy: this.#busy, queued: this.#waiting.length };
  }

  /** Changes the size; growing lets queued requests in at once, shrinking waits for work to end. */
  resize(size: number): void {
    this.#size = WorkerPool.#checked(size);
    this.#drain();
  }

  /** Runs `task` on a worker, waiting for one to be free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy < this.#size) this.#busy++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      this.#busy--;
      this.#drain();
    }
  }

  #drain(): void {
    while (this.#busy < this.#size && this.#waiting.length > 0) {
      this.#busy++;
      this.#waiting.shift()?.();
    }
  }
}

/**
 * Runs `inner` (the fault injection) and the handler after it on a worker of `pool`, so an
 * injected slowness holds a worker the way a slow downstream would.
 *
 * @example
 * ```ts
 * app.post('/filings', onWorker(pool, injectFaults(knobs)), handler);
 * ```
 */
export const onWorker = (pool: WorkerPool, inner: MiddlewareHandler): MiddlewareHandler =>
  async function onWorker(c, next) {
    return pool.run(async () => inner(c, next));
  };

const workersPatch = z.strictObject({ workers: z.number().int().min(1).max(MAX_WORKERS) });

/**
 * `GET /` shows the pool, `POST /` `{ "workers": 4 }` resizes it. Mount it inside the knob routes,
 * which keep it to loopback callers and out of the service's metrics.
 *
 * @example
 * ```ts
 * knobRoutes(knobs).route('/workers', workerPoolRoutes(pool));
 * ```
 */
export function workerPoolRoutes(pool: WorkerPool): Hono {
  return new Hono()
    .get('/', (c) => c.json(pool.state))
    .post('/', async (c) => {
      const parsed = workersPatch.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        return c.json(
          { error: `expected {"workers": n} with n a whole number 1..${MAX_WORKERS}` },
          400,
        );
      }
      pool.resize(parsed.data.workers);
      return c.json(pool.state);
    });
}
