/** How a running query learns it must end: a deadline, an `AbortSignal`, or a flag in shared memory. */
import { PromqlError } from './promql-error.js';

/** What a stop flag holds: 0 while the query may run, else why it must end. */
export const STOP_RUNNING = 0;
export const STOP_CANCELED = 1;
export const STOP_TIMEOUT = 2;

/**
 * Polled by the evaluator between steps, series and nodes; throws a `PromqlError` of kind
 * `timeout` or `canceled` once the query must end. A synchronous evaluation cannot hear an
 * event, so every source of "stop" is something it can read while it runs.
 */
export interface QueryStop {
  /** Throws when the query must end; `phase` names where, as Prometheus's messages do. */
  check(phase?: string): void;
}

/** Where a stop can come from; any of them ends the query. */
export interface QueryStopOptions {
  /** Epoch ms after which the query times out. */
  readonly deadlineMs?: number;
  /** Aborted: canceled, or timed out when its reason is a `TimeoutError` or says `timeout`. */
  readonly signal?: AbortSignal;
  /** A slot in shared memory another thread writes `STOP_CANCELED` or `STOP_TIMEOUT` into. */
  readonly flag?: { readonly cells: Int32Array; readonly index: number };
  /** The clock the deadline is read on. Default `Date.now` (shared by every thread). */
  readonly now?: () => number;
}

/** A stop that never fires, for queries without limits. */
export const NEVER_STOP: QueryStop = { check() {} };

/** Prometheus's error for a query past its deadline. */
export function queryTimedOut(phase = 'expression evaluation'): PromqlError {
  return new PromqlError('timeout', `query timed out in ${phase}`);
}

/** Prometheus's error for a query its caller gave up on. */
export function queryCanceled(phase = 'expression evaluation'): PromqlError {
  return new PromqlError('canceled', `query was canceled in ${phase}`);
}

function signalTimedOut(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return true;
  return (reason as { kind?: unknown } | undefined)?.kind === 'timeout';
}

/**
 * One stop check over every source given. The same check serves the in-process engine (a
 * deadline and the caller's signal) and the engine worker (a deadline and a shared flag).
 *
 * @example
 * ```ts
 * const stop = queryStop({ deadlineMs: Date.now() + 100 });
 * engine.instant('max_over_time(up[13h:1ms])', Date.now(), { stop }); // PromqlError timeout
 * ```
 */
export function queryStop(options: QueryStopOptions): QueryStop {
  const { deadlineMs, signal, flag } = options;
  const now = options.now ?? Date.now;
  if (deadlineMs === undefined && !signal && !flag) return NEVER_STOP;
  return {
    check(phase) {
      if (flag) {
        const code = Atomics.load(flag.cells, flag.index);
        if (code === STOP_TIMEOUT) throw queryTimedOut(phase);
        if (code === STOP_CANCELED) throw queryCanceled(phase);
      }
      if (signal?.aborted)
        throw signalTimedOut(signal) ? queryTimedOut(phase) : queryCanceled(phase);
      if (deadlineMs !== undefined && now() > deadlineMs) throw queryTimedOut(phase);
    },
  };
}
