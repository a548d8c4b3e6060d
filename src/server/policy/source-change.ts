/** Refuses a policy change to what is wired once at start: the query source, the sample store. */
import { isDeepStrictEqual } from 'node:util';
import { PolicyError } from './policy-error.js';
import type { Policy } from './types.js';

/**
 * Throws `PolicyError` when `next` names another source than `running`. The source decides
 * what runs (a scraper and engine worker, or neither), so switching it is a restart, not a
 * reload; refusing says so instead of leaving the old source quietly in use.
 *
 * @example
 * ```ts
 * refuseSourceChange(current.policy, next, 'kpi-lights.yaml'); // throws if source differs
 * ```
 */
export function refuseSourceChange(running: Policy, next: Policy, file: string): void {
  if (isDeepStrictEqual(running.source, next.source)) return;
  const issue = {
    file,
    line: 1,
    column: 1,
    path: 'source',
    message: 'the source is read at start: restart the server to change it',
  };
  throw new PolicyError(file, [issue]);
}

/**
 * Throws `PolicyError` when `next` keeps samples otherwise than `running` (retention, size):
 * the sample store is opened with them at start.
 *
 * @example
 * ```ts
 * refuseStorageChange(current.policy, next, 'kpi-lights.yaml'); // throws if storage differs
 * ```
 */
export function refuseStorageChange(running: Policy, next: Policy, file: string): void {
  if (isDeepStrictEqual(running.storage, next.storage)) return;
  const issue = {
    file,
    line: 1,
    column: 1,
    path: 'storage',
    message: 'storage is read at start: restart the server to change it',
  };
  throw new PolicyError(file, [issue]);
}
