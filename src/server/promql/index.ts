/** The embedded PromQL engine's public surface. */
export type * from './ast.js';
export { PromqlEngine, type PromqlEngineOptions } from './engine.js';
export { parsePromql, typeOf } from './parse.js';
export { PromqlError, type PromqlErrorKind } from './promql-error.js';
export type * from './result.js';
