/** Starts the engine worker's code, in development (`.ts` under tsx) and after a build (`.js`). */
import { Worker } from 'node:worker_threads';

/**
 * A new engine worker thread. Run from `dist/`, this file is `.js` and so is the worker's.
 * Run from source, both are `.ts`: Node 20 does not pass a parent's loader hooks to a worker,
 * nor apply `--import tsx` to a worker's own entry, so a two-line bootstrap registers tsx's
 * loader inside the worker first and then imports the entry.
 *
 * @example
 * ```ts
 * const worker = startEngineWorker(init);
 * worker.on('message', onMessage);
 * ```
 */
export function startEngineWorker(workerData: unknown): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./engine-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
