/** Requests sent to the engine worker that wait for its reply, paired by id. */
import { TargetConfigError } from '../scrape/index.js';
import { QueryError } from '../source/query-error.js';
import type { WireError } from './protocol.js';

/** One request waiting for its reply. */
export interface Pending {
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: Error) => void;
  /** Runs once the worker is done with the request: it answered, or it died. */
  readonly settle?: () => void;
}

/** The error a wire error stands for, with the class the main thread's callers switch on. */
export function fromWire(e: WireError): Error {
  if (e.kind === 'target-config') return new TargetConfigError(e.field, e.reason);
  if (e.kind === 'error') return new Error(e.message);
  return new QueryError(e.kind, e.message, { position: e.position });
}

/**
 * The requests in flight to one worker and its successors. Ids never repeat, so a late reply
 * from a worker that was replaced finds nothing to answer.
 *
 * @example
 * ```ts
 * const id = replies.add({ resolve, reject });
 * worker.postMessage({ type: 'request', id, name: 'stop', body: {} });
 * // on the worker's reply
 * replies.answer(reply);
 * ```
 */
export class PendingReplies {
  readonly #waiting = new Map<number, Pending>();
  #seq = 0;

  /** Registers a request and answers its id. */
  add(pending: Pending): number {
    const id = ++this.#seq;
    this.#waiting.set(id, pending);
    return id;
  }

  /** Settles the request a reply answers. */
  answer(
    reply: { readonly id: number } & (
      | { readonly ok: true; readonly body: unknown }
      | { readonly ok: false; readonly error: WireError }
    ),
  ): void {
    const pending = this.#waiting.get(reply.id);
    if (!pending) return;
    this.#waiting.delete(reply.id);
    pending.settle?.();
    if (reply.ok) pending.resolve(reply.body);
    else pending.reject(fromWire(reply.error));
  }

  /** Rejects every request in flight with `QueryError('unavailable', why)`: the worker is gone. */
  failAll(why: string): void {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const p of all) {
      p.settle?.();
      p.reject(new QueryError('unavailable', why));
    }
  }
}
