/** Loads Node's built-in SQLite once, on first use: a clear error on a Node without it, and no warning on Node 22. */
import { createRequire } from 'node:module';
import { unsupportedNode } from './supported-node.js';

type NodeSqlite = typeof import('node:sqlite');

/** The one warning kept out of the output: Node 22 marks `node:sqlite` experimental. */
const EXPERIMENTAL_SQLITE = 'SQLite is an experimental feature';

let loaded: NodeSqlite | undefined;

/**
 * `node:sqlite`, loaded when the first database opens rather than when this module is
 * imported, so that a Node without it reaches the version check and its message instead of
 * failing to link. Node 22 prints an ExperimentalWarning when the module loads; the suite runs
 * on 22 and pins the behaviour the server uses, and an operator can do nothing about the
 * warning, so that one warning, during that one load, is dropped. Every other warning passes.
 *
 * @example
 * ```ts
 * const { DatabaseSync } = nodeSqlite();
 * ```
 */
export function nodeSqlite(): NodeSqlite {
  if (loaded !== undefined) return loaded;
  const unsupported = unsupportedNode(process.versions.node);
  if (unsupported !== undefined) throw new Error(unsupported);
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitOtherWarnings(warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith(EXPERIMENTAL_SQLITE)) return;
    (emitWarning as (w: string | Error, ...r: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    loaded = createRequire(import.meta.url)('node:sqlite') as NodeSqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
  return loaded;
}
