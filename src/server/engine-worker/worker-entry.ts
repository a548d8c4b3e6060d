/** Starts the engine's worker threads (the engine worker, query workers), in development (`.ts` under tsx) and after a build (`.js`). */
import { type Transferable, Worker } from 'node:worker_threads';

/** The thread entries in this folder. */
export type WorkerEntry = 'engine-worker' | 'query-worker';

/**
 * A new worker thread running `entry` (the engine worker by default). Run from `dist/`, this
 * file is `.js` and so is the worker's. Run from source, both are `.ts`: Node 20 does not pass
 * a parent's loader hooks to a worker, nor apply `--import tsx` to a worker's own entry, so a
 * two-line bootstrap registers tsx's loader inside the worker first and then imports the entry.
 *
 * @example
 * ```ts
 * const worker = startEngineWorker(init);
 * worker.on('message', onMessage);
 * const reader = startEngineWorker(readerInit, 'query-worker', [readerInit.port]);
 * ```
 */
export function startEngineWorker(
  workerData: unknown,
  entryName: WorkerEntry = 'engine-worker',
  transferList: Transferable[] = [],
): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${entryName}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData, transferList });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, transferList });
}
