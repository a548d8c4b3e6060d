/** Why a policy change was refused, in the policy's own words; the API maps each kind to a status. */
import type { PolicyIssue, PolicyProposalInfo, PolicyVersionInfo } from '../../sdk/types.js';

/**
 * What kind of refusal: the HTTP layer turns each into a status (`invalid` → 400,
 * `reason-required` → 400, `precondition-required` → 428, `conflict` → 409, `two-person` and
 * `self-approval` → 403, `not-found` → 404), the CLI into a line.
 */
export type RefusalKind =
  | 'invalid'
  | 'reason-required'
  | 'precondition-required'
  | 'conflict'
  | 'two-person'
  | 'self-approval'
  | 'not-found';

/** Why a change was refused. */
export interface PolicyRefusal {
  readonly ok: false;
  readonly kind: RefusalKind;
  readonly title: string;
  readonly detail: string;
  readonly issues?: readonly PolicyIssue[];
  /** The version in force, so a writer who lost a race knows what to read again. */
  readonly current: PolicyVersionInfo;
}

/** A change's end: its version (new, or the one in force when nothing changed), or a refusal. */
export type ChangeOutcome =
  | { readonly ok: true; readonly version: PolicyVersionInfo }
  | PolicyRefusal;

/** A proposal's end. */
export type ProposalOutcome =
  | { readonly ok: true; readonly proposal: PolicyProposalInfo }
  | PolicyRefusal;

/** A reload's end: a change's, or (under the two-person rule) the proposal it made instead. */
export type ReloadOutcome =
  | ChangeOutcome
  | { readonly ok: true; readonly proposal: PolicyProposalInfo };

/** The ETag of a version: its public hash, quoted. */
export const etagOf = (version: PolicyVersionInfo): string => `"${version.hash}"`;
