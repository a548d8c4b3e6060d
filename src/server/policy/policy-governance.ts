/** The one gate every policy change passes: reason, If-Match, the two-person rule, one version, an audit entry. */
import type { PolicyVersionInfo } from '../../sdk/types.js';
import { PolicyError } from './policy-error.js';
import type { PolicyProposalStore } from './policy-proposals.js';
import {
  type ChangeOutcome,
  etagOf,
  type PolicyRefusal,
  type ProposalOutcome,
  type ReloadOutcome,
} from './policy-refusal.js';
import type { PolicyChange, PolicyVersionStore } from './policy-versions.js';
import type { Policy } from './types.js';

export {
  type ChangeOutcome,
  etagOf,
  type PolicyRefusal,
  type ProposalOutcome,
  type RefusalKind,
  type ReloadOutcome,
} from './policy-refusal.js';

/** The policy in force, as the governance reads it. */
export interface GovernedPolicy {
  readonly text: string;
  readonly policy: Policy;
  readonly version: PolicyVersionInfo;
}

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

/** True when an `If-Match` value names this ETag (strong comparison: a weak tag never matches). */
function matches(ifMatch: string, etag: string): boolean {
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    .includes(etag);
}

const count = (n: number) => (n === 1 ? '1 problem' : `${n} problems`);

type Refusal = Omit<PolicyRefusal, 'ok' | 'current'>;

/**
 * The gate. Changes run one at a time, so the `If-Match` check and the new version are one
 * step: two writers who read the same version cannot both win. Every refusal is audited with
 * who and why, and makes no version.
 */
class PolicyGate {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PolicyGovernanceOptions) {}

  /** `PUT /api/v1/policy`: replace the text. */
  change(text: string, req: ChangeRequest): Promise<ChangeOutcome> {
    return this.#serialised(async () => {
      const change: PolicyChange = { author: req.author, reason: req.reason, action: 'change' };
      return this.#precheck(text, change, req.ifMatch, true) ?? this.#applyText(text, change);
    });
  }

  /** `POST /api/v1/policy/rollback`: a new version with an old one's exact text. */
  rollback(to: number, req: ChangeRequest): Promise<ChangeOutcome> {
    return this.#serialised(async () => {
      const change: PolicyChange = {
        author: req.author,
        reason: req.reason,
        action: 'rollback',
        rollbackOf: to,
      };
      const text = this.#rollbackText(to, change);
      if (typeof text !== 'string') return text;
      return this.#precheck(text, change, req.ifMatch, true) ?? this.#applyText(text, change);
    });
  }

  /** `POST /api/v1/policy/proposals`: a change (or a rollback, `rollbackOf`) awaiting a second token. */
  propose(
    proposed: { readonly text: string } | { readonly rollbackOf: number },
    req: ChangeRequest,
  ): Promise<ProposalOutcome> {
    return this.#serialised(async () => {
      const rollbackOf = 'rollbackOf' in proposed ? proposed.rollbackOf : undefined;
      const change: PolicyChange = {
        author: req.author,
        reason: req.reason,
        action: 'propose',
        ...(rollbackOf !== undefined && { rollbackOf }),
      };
      const text =
        'text' in proposed ? proposed.text : this.#rollbackText(proposed.rollbackOf, change);
      if (typeof text !== 'string') return text;
      const refused =
        this.#precheck(text, change, req.ifMatch, false) ??
        this.#refuseInvalid(text, change, 'nothing was proposed');
      if (refused) return refused;
      const proposal = this.options.proposals.create({
        author: req.author,
        reason: req.reason,
        text,
        baseVersion: this.#current().version.version,
        rollbackOf,
      });
      // A proposal makes no version; the log still says who proposed what, and why.
      this.options.versions.auditAccepted(text, { ...change, detail: `proposal ${proposal.id}` });
      const { text: _text, ...info } = proposal;
      return { ok: true, proposal: info };
    });
  }

  /** `POST /api/v1/policy/proposals/:id/approve`: a different token makes the proposal the policy. */
  approve(id: number, approver: string): Promise<ChangeOutcome> {
    return this.#serialised(async () => {
      const refused = this.#approvalRefusal(id, approver);
      if (refused) return refused;
      // A proposal that passed the checks above exists.
      const proposal = this.options.proposals.get(id)!;
      const outcome = await this.#applyText(proposal.text, {
        author: proposal.author,
        reason: proposal.reason,
        action: 'approve',
        approvedBy: approver,
        detail: `proposal ${id} by ${proposal.author}`,
        ...(proposal.rollbackOf !== null && { rollbackOf: proposal.rollbackOf }),
      });
      if (outcome.ok) {
        this.options.proposals.settle(id, {
          version: outcome.version.version,
          approvedBy: approver,
        });
      }
      return outcome;
    });
  }

  /**
   * A reload from the policy file (SIGHUP, `POST /-/reload`), authored by whoever triggered it
   * (`SIGHUP`, or the token's name); no If-Match, since the file is what changed. Under the
   * two-person rule a changed file makes a proposal, not a version: otherwise one token (or a
   * read-only file that never took an approved change) could undo what two people approved.
   */
  reload(text: string, req: Omit<ChangeRequest, 'ifMatch'>): Promise<ReloadOutcome> {
    return this.#serialised(async () => {
      const change: PolicyChange = { author: req.author, reason: req.reason, action: 'reload' };
      const now = this.#current();
      if (text === now.text || !now.policy.governance.twoPerson) {
        return this.#applyText(text, change);
      }
      const refused = this.#refuseInvalid(text, change, 'nothing was proposed');
      if (refused) return refused;
      const base = now.version.version;
      // Reloading the same file again (a second SIGHUP) finds the proposal it made.
      const proposal =
        this.options.proposals.findPending(text, base) ??
        this.options.proposals.create({ ...req, text, baseVersion: base });
      this.options.versions.auditAccepted(text, {
        ...change,
        detail: `proposal ${proposal.id}: the two-person rule is in force`,
      });
      const { text: _text, ...info } = proposal;
      return { ok: true, proposal: info };
    });
  }

  #current(): GovernedPolicy {
    return this.options.current();
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #refuse(text: string, change: PolicyChange, refusal: Refusal): PolicyRefusal {
    this.options.versions.recordRejected(text, change, refusal.issues ?? [], refusal.detail);
    return { ok: false, ...refusal, current: this.#current().version };
  }

  /** The checks every request to change shares; a refusal, or nothing. */
  #precheck(
    text: string,
    change: PolicyChange,
    ifMatch: string | undefined,
    twoPersonApplies: boolean,
  ): PolicyRefusal | undefined {
    if (change.reason.trim() === '') {
      return this.#refuse(text, change, {
        kind: 'reason-required',
        title: 'Reason required',
        detail: 'say why the policy changes',
      });
    }
    const now = this.#current().version;
    if (ifMatch === undefined || ifMatch.trim() === '*') {
      return this.#refuse(text, change, {
        kind: 'precondition-required',
        title: 'If-Match required',
        detail: `send If-Match with the ETag of the version you changed (now version ${now.version}, ${etagOf(now)})`,
      });
    }
    if (!matches(ifMatch, etagOf(now))) {
      return this.#refuse(text, change, {
        kind: 'conflict',
        title: 'Policy changed meanwhile',
        detail: `the policy is at version ${now.version} (${etagOf(now)}), not the one you sent If-Match for; read it again and redo your change`,
      });
    }
    if (twoPersonApplies && this.#current().policy.governance.twoPerson) {
      return this.#refuse(text, change, {
        kind: 'two-person',
        title: 'Two-person rule',
        detail:
          'the two-person rule is in force: propose the change and have another token approve it',
      });
    }
    return undefined;
  }

  /** A refusal when the text does not parse, else nothing. */
  #refuseInvalid(text: string, change: PolicyChange, what: string): PolicyRefusal | undefined {
    try {
      this.options.parse(text);
      return undefined;
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      return this.#refuse(text, change, {
        kind: 'invalid',
        title: 'Policy refused',
        detail: `the policy has ${count(err.issues.length)}; ${what}`,
        issues: err.issues,
      });
    }
  }

  /** Parses and applies, turning `PolicyError` into a refusal; text equal to the running one only audits. */
  async #applyText(text: string, change: PolicyChange): Promise<ChangeOutcome> {
    if (text === this.#current().text) {
      return { ok: true, version: this.options.versions.record(text, change) };
    }
    try {
      const policy = this.options.parse(text);
      return { ok: true, version: await this.options.apply(text, policy, change) };
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      return this.#refuse(text, change, {
        kind: 'invalid',
        title: 'Policy refused',
        detail: `the policy has ${count(err.issues.length)}; nothing was changed`,
        issues: err.issues,
      });
    }
  }

  #rollbackText(to: number, change: PolicyChange): string | PolicyRefusal {
    const old = Number.isSafeInteger(to) && to > 0 ? this.options.versions.get(to) : undefined;
    if (old) return old.text;
    return this.#refuse('', change, {
      kind: 'not-found',
      title: 'No such version',
      detail: `there is no policy version ${JSON.stringify(to)}`,
    });
  }

  /** Why proposal `id` cannot be approved by `approver` now, or nothing. */
  #approvalRefusal(id: number, approver: string): PolicyRefusal | undefined {
    const proposal = this.options.proposals.get(id);
    const base: PolicyChange = {
      author: approver,
      reason: proposal?.reason ?? '',
      action: 'approve',
      detail: `proposal ${id}`,
    };
    if (!proposal) {
      return this.#refuse('', base, {
        kind: 'not-found',
        title: 'No such proposal',
        detail: `there is no proposal ${id}`,
      });
    }
    if (proposal.state !== 'pending') {
      return this.#refuse(proposal.text, base, {
        kind: 'conflict',
        title: 'Proposal settled',
        detail: `proposal ${id} is ${proposal.state}`,
      });
    }
    if (proposal.author === approver) {
      return this.#refuse(proposal.text, base, {
        kind: 'self-approval',
        title: 'Self-approval',
        detail: `token "${approver}" proposed this change; another token must approve it`,
      });
    }
    const now = this.#current().version;
    if (proposal.baseVersion === now.version) return undefined;
    this.options.proposals.settle(id, 'superseded');
    return this.#refuse(proposal.text, base, {
      kind: 'conflict',
      title: 'Policy changed meanwhile',
      detail: `proposal ${id} was made against version ${proposal.baseVersion}, and version ${now.version} is in force now; propose again`,
    });
  }
}

/**
 * Builds the gate every policy change passes.
 *
 * @example
 * ```ts
 * const governance = createPolicyGovernance({ versions, proposals, current, parse, apply });
 * const outcome = await governance.change(text, { author: 'deploy', reason: 'warn later', ifMatch });
 * ```
 */
export function createPolicyGovernance(options: PolicyGovernanceOptions): PolicyGovernance {
  return new PolicyGate(options);
}

/** The governance gate: change, rollback, propose, approve, reload. */
export type PolicyGovernance = Pick<
  PolicyGate,
  'change' | 'rollback' | 'propose' | 'approve' | 'reload'
>;
