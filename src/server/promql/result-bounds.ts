/** What a query may return: samples and bytes, counted before the answer is built, moved or serialised. */
import { formatBytes } from '../../shared/format-bytes.js';
import type { Labels } from '../model/model.js';
import { tooManySteps } from './eval/eval-context.js';
import { PromqlError } from './promql-error.js';
import type { QueryResult } from './result.js';

/** Default of `--query.max-result-bytes`: the most a query's answer may take, 32 MiB. */
export const DEFAULT_MAX_RESULT_BYTES = 32 * 1024 * 1024;

/**
 * What one point costs in the JSON answer, `[1700000000.123,"0.0123456"],`: an estimate, since
 * formatting every value to measure it would cost as much as the answer itself.
 */
export const POINT_BYTES = 32;

/** Bounds of one query's answer. */
export interface ResultLimits {
  /** Most samples (points) returned, as `--query.max-samples`. */
  readonly maxSamples: number;
  /** Most bytes of labels and points returned, as `--query.max-result-bytes`. */
  readonly maxBytes: number;
}

/**
 * Bytes a label set takes in the JSON answer: `"name":"value",` per label and the braces. String
 * lengths stand for bytes: V8 holds a string in one or two bytes a character, so this bounds
 * memory as well as the answer.
 *
 * @example
 * ```ts
 * labelsBytes({ job: 'api' }); // 13
 * ```
 */
export function labelsBytes(labels: Labels): number {
  let n = 2;
  for (const name in labels) n += name.length + labels[name].length + 6;
  return n;
}

/** Prometheus's words for too many samples, said of bytes: labels or an answer larger than `limit`. */
export function tooManyBytes(limit: number): PromqlError {
  return new PromqlError(
    'limit',
    `query processing would load too many bytes into memory in query execution: the result passes the ${formatBytes(limit)} limit`,
  );
}

/**
 * Counts an answer as it is built and throws once it passes either bound, so a huge answer
 * fails after at most one series past the limit, not after it was built whole.
 *
 * @example
 * ```ts
 * const size = new ResultSize({ maxSamples: 1_000, maxBytes: 1 << 20 });
 * for (const s of series) size.add(s.labels, s.points.length);
 * ```
 */
export class ResultSize {
  #samples = 0;
  #bytes = 0;

  constructor(private readonly limits: ResultLimits) {}

  /** Counts one series of `points` points; throws a `limit` PromqlError past a bound. */
  add(labels: Labels, points: number): void {
    this.#samples += points;
    this.#bytes += labelsBytes(labels) + points * POINT_BYTES;
    if (this.#samples > this.limits.maxSamples) throw tooManySteps();
    if (this.#bytes > this.limits.maxBytes) throw tooManyBytes(this.limits.maxBytes);
  }
}

/**
 * Checks a built answer against the bounds: for answers that come from elsewhere (a Prometheus
 * source) before they are serialised again.
 *
 * @example
 * ```ts
 * checkResultSize(await source.instant('up', Date.now()), { maxSamples: 5e7, maxBytes: 32 << 20 });
 * ```
 */
export function checkResultSize(result: QueryResult, limits: ResultLimits): void {
  const size = new ResultSize(limits);
  switch (result.resultType) {
    case 'vector':
      for (const s of result.result) size.add(s.metric, 1);
      return;
    case 'matrix':
      for (const s of result.result) size.add(s.metric, s.points.length);
      return;
    case 'string':
      // A string answer is a literal of the query itself, which the body limit bounds.
      return;
    case 'scalar':
      return;
  }
}
