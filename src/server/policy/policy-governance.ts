/** The one gate every policy change passes: reason, If-Match, the two-person rule, one version, an audit entry. */
import type { PolicyIssue, PolicyProposalInfo, PolicyVersionInfo } from '../../sdk/types.js';
import { PolicyError } from './policy-error.js';
import type { PolicyProposalStore } from './policy-proposals.js';
import type { PolicyChange, PolicyVersionStore } from './policy-versions.js';
import type { Policy } from './types.js';

/** The policy in force, as the governance reads it. */
export interface GovernedPolicy {
  readonly text: string;
  readonly policy: Policy;
  readonly version: PolicyVersionInfo;
}

/** Why a change was refused, shaped for a problem body. */
export interface PolicyRefusal {
  readonly ok: false;
  readonly status: 400 | 403 | 404 | 409 | 428;
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

/** Who asks, why, and which version they saw (`If-Match`, verbatim). */
export interface ChangeRequest {
  readonly author: string;
  readonly reason: string;
  readonly ifMatch: string | undefined;
}

/** Options of {@link createPolicyGovernance}. */
export interface PolicyGovernanceOptions {
  readonly versions: PolicyVersionStore;
  readonly proposals: PolicyProposalStore;
  readonly current: () => GovernedPolicy;
  /** Parses and checks text; throws `PolicyError`. */
  readonly parse: (text: string) => Policy;
  /** Makes checked text the running policy and records its version; may throw `PolicyError`. */
  readonly apply: (
    text: string,
    policy: Policy,
    change: PolicyChange,
  ) => Promise<PolicyVersionInfo>;
}

/** The ETag of a version: its public hash, quoted. */
export const etagOf = (version: PolicyVersionInfo): string => `"${version.hash}"`;

/** True when an `If-Match` value names this ETag (strong comparison: a weak tag never matches). */
function matches(ifMatch: string, etag: string): boolean {
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    .includes(etag);
}

const count = (n: number) => (n === 1 ? '1 problem' : `${n} problems`);

/**
 * Builds the gate. Changes run one at a time, so the `If-Match` check and the new version are
 * one step: two writers who read the same version cannot both win. Every refusal is audited
 * with who and why, and makes no version.
 *
 * @example
 * ```ts
 * const governance = createPolicyGovernance({ versions, proposals, current, parse, apply });
 * const outcome = await governance.change(text, { author: 'deploy', reason: 'warn later', ifMatch });
 * ```
 */
export function createPolicyGovernance(options: PolicyGovernanceOptions) {
  const { versions, proposals, current, parse } = options;
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const refuse = (
    text: string,
    change: PolicyChange,
    refusal: Omit<PolicyRefusal, 'ok' | 'current'>,
  ): PolicyRefusal => {
    versions.recordRejected(text, change, refusal.issues ?? [], refusal.detail);
    return { ok: false, ...refusal, current: current().version };
  };

  /** The checks every request to change shares; a refusal, or nothing. */
  const precheck = (
    text: string,
    change: PolicyChange,
    ifMatch: string | undefined,
    { twoPersonApplies }: { twoPersonApplies: boolean },
  ): PolicyRefusal | undefined => {
    if (change.reason.trim() === '') {
      return refuse(text, change, {
        status: 400,
        title: 'Reason required',
        detail: 'say why: send the X-Policy-Reason header or ?reason=',
      });
    }
    const now = current().version;
    if (ifMatch === undefined || ifMatch.trim() === '*') {
      return refuse(text, change, {
        status: 428,
        title: 'If-Match required',
        detail: `send If-Match with the ETag of the version you changed (now version ${now.version}, ${etagOf(now)})`,
      });
    }
    if (!matches(ifMatch, etagOf(now))) {
      return refuse(text, change, {
        status: 409,
        title: 'Policy changed meanwhile',
        detail: `the policy is at version ${now.version} (${etagOf(now)}), not the one you sent If-Match for; read it again and redo your change`,
      });
    }
    if (twoPersonApplies && current().policy.governance.twoPerson) {
      return refuse(text, change, {
        status: 403,
        title: 'Two-person rule',
        detail:
          'the two-person rule is in force: propose the change (POST /api/v1/policy/proposals) and have another token approve it',
      });
    }
    return undefined;
  };

  /** Parses and applies, turning `PolicyError` into a refusal; text equal to the running one only audits. */
  const applyText = async (text: string, change: PolicyChange): Promise<ChangeOutcome> => {
    if (text === current().text) return { ok: true, version: versions.record(text, change) };
    try {
      return { ok: true, version: await options.apply(text, parse(text), change) };
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      return refuse(text, change, {
        status: 400,
        title: 'Policy refused',
        detail: `the policy has ${count(err.issues.length)}; nothing was changed`,
        issues: err.issues,
      });
    }
  };

  const rollbackText = (to: number, change: PolicyChange): string | PolicyRefusal => {
    const old = Number.isSafeInteger(to) && to > 0 ? versions.get(to) : undefined;
    if (!old) {
      return refuse('', change, {
        status: 404,
        title: 'No such version',
        detail: `there is no policy version ${JSON.stringify(to)}`,
      });
    }
    return old.text;
  };

  return {
    /** `PUT /api/v1/policy`: replace the text. */
    change: (text: string, req: ChangeRequest): Promise<ChangeOutcome> =>
      serialised(async () => {
        const change: PolicyChange = { author: req.author, reason: req.reason, action: 'change' };
        return (
          precheck(text, change, req.ifMatch, { twoPersonApplies: true }) ?? applyText(text, change)
        );
      }),

    /** `POST /api/v1/policy/rollback`: a new version with an old one's exact text. */
    rollback: (to: number, req: ChangeRequest): Promise<ChangeOutcome> =>
      serialised(async () => {
        const change: PolicyChange = {
          author: req.author,
          reason: req.reason,
          action: 'rollback',
          rollbackOf: to,
        };
        const text = rollbackText(to, change);
        if (typeof text !== 'string') return text;
        return (
          precheck(text, change, req.ifMatch, { twoPersonApplies: true }) ?? applyText(text, change)
        );
      }),

    /** `POST /api/v1/policy/proposals`: a change (or a rollback, `rollbackOf`) awaiting a second token. */
    propose: (
      proposed: { readonly text: string } | { readonly rollbackOf: number },
      req: ChangeRequest,
    ): Promise<ProposalOutcome> =>
      serialised(async () => {
        const rollbackOf = 'rollbackOf' in proposed ? proposed.rollbackOf : undefined;
        const change: PolicyChange = {
          author: req.author,
          reason: req.reason,
          action: 'propose',
          ...(rollbackOf !== undefined && { rollbackOf }),
        };
        const text = 'text' in proposed ? proposed.text : rollbackText(proposed.rollbackOf, change);
        if (typeof text !== 'string') return text;
        const refused = precheck(text, change, req.ifMatch, { twoPersonApplies: false });
        if (refused) return refused;
        try {
          parse(text);
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
          return refuse(text, change, {
            status: 400,
            title: 'Policy refused',
            detail: `the policy has ${count(err.issues.length)}; nothing was proposed`,
            issues: err.issues,
          });
        }
        const proposal = proposals.create({
          author: req.author,
          reason: req.reason,
          text,
          baseVersion: current().version.version,
          rollbackOf,
        });
        auditProposal(proposal.id, text, change);
        const { text: _text, ...info } = proposal;
        return { ok: true, proposal: info };
      }),

    /** `POST /api/v1/policy/proposals/:id/approve`: a different token makes the proposal the policy. */
    approve: (id: number, approver: string): Promise<ChangeOutcome> =>
      serialised(async () => {
        const proposal = proposals.get(id);
        const base: PolicyChange = {
          author: approver,
          reason: proposal?.reason ?? '',
          action: 'approve',
          detail: `proposal ${id}`,
        };
        if (!proposal) {
          return refuse('', base, {
            status: 404,
            title: 'No such proposal',
            detail: `there is no proposal ${id}`,
          });
        }
        if (proposal.state !== 'pending') {
          return refuse(proposal.text, base, {
            status: 409,
            title: 'Proposal settled',
            detail: `proposal ${id} is ${proposal.state}`,
          });
        }
        if (proposal.author === approver) {
          return refuse(proposal.text, base, {
            status: 403,
            title: 'Self-approval',
            detail: `token "${approver}" proposed this change; another token must approve it`,
          });
        }
        const now = current().version;
        if (proposal.baseVersion !== now.version) {
          proposals.settle(id, 'superseded');
          return refuse(proposal.text, base, {
            status: 409,
            title: 'Policy changed meanwhile',
            detail: `proposal ${id} was made against version ${proposal.baseVersion}, and version ${now.version} is in force now; propose again`,
          });
        }
        const outcome = await applyText(proposal.text, {
          author: proposal.author,
          reason: proposal.reason,
          action: 'approve',
          approvedBy: approver,
          detail: `proposal ${id} by ${proposal.author}`,
          ...(proposal.rollbackOf !== null && { rollbackOf: proposal.rollbackOf }),
        });
        if (outcome.ok)
          proposals.settle(id, { version: outcome.version.version, approvedBy: approver });
        return outcome;
      }),

    /** A reload from the policy file (SIGHUP, `POST /-/reload`): authored `file`, no If-Match. */
    reload: (text: string, reason: string): Promise<ChangeOutcome> =>
      serialised(() => applyText(text, { author: 'file', reason, action: 'reload' })),
  };

  function auditProposal(id: number, text: string, change: PolicyChange): void {
    // A proposal makes no version; the log still says who proposed what, and why.
    versions.auditAccepted(text, { ...change, detail: `proposal ${id}` });
  }
}

/** The governance gate's type. */
export type PolicyGovernance = ReturnType<typeof createPolicyGovernance>;
