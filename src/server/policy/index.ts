/** The policy file: load, validate, normalise, version. */
export { DurationError, formatDuration, parseDuration } from '../../shared/duration.js';
export {
  type LoadedPolicy,
  loadPolicyFile,
  type ParsePolicyOptions,
  parsePolicy,
} from './load-policy.js';
export { DEFAULTS } from './normalise.js';
export { formatIssue, PolicyError } from './policy-error.js';
export {
  type PolicyAuditEntry,
  type PolicyChange,
  type PolicyVersion,
  PolicyVersionStore,
  policyHash,
} from './policy-versions.js';
export { engineQueryCheck } from './query-check.js';
export type { QueryCheck } from './semantic-checks.js';
export type * from './types.js';
