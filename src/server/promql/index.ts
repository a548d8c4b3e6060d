/** The embedded PromQL engine's public surface. */
export type * from './ast.js';
export { type EngineQueryOptions, PromqlEngine, type PromqlEngineOptions } from './engine.js';
export { parsePromql, typeOf } from './parse.js';
export { PromqlError, type PromqlErrorKind } from './promql-error.js';
export {
  NEVER_STOP,
  type QueryStop,
  type QueryStopOptions,
  queryCanceled,
  queryStop,
  queryTimedOut,
} from './query-stop.js';
export type * from './result.js';
