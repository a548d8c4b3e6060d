/** Makes an accepted policy text the running one: scrape targets, KPIs, access — history untouched. */
import type { PolicyVersionInfo } from '../../sdk/types.js';
import { type PolicyChange, PolicyError, type PolicyVersionStore } from '../policy/index.js';
import { scrapeTargetsOf } from '../policy/scrape-targets.js';
import type { Policy } from '../policy/types.js';
import { type ScrapeManager, TargetConfigError } from '../scrape/index.js';

/** The policy the server runs now, with the text and version it came from. */
export interface RunningPolicy {
  /** The policy file as readers see it: relative to the working folder (`displayPath`). */
  readonly file: string;
  readonly text: string;
  readonly policy: Policy;
  readonly version: PolicyVersionInfo;
}

/** The parts a reload touches. */
export interface PolicyReloadParts {
  readonly versions: Pick<PolicyVersionStore, 'record'>;
  readonly evaluator: { setPolicy(policy: Policy, version: number): void };
  readonly scrape?: Pick<ScrapeManager, 'update'>;
  /** Called last, with the new running policy (the app swaps its state, tells the stream). */
  readonly swap: (next: RunningPolicy) => void;
}

/**
 * Applies checked policy text in the one order that cannot leave the server half-changed:
 * targets first (the scraper refuses a bad set without changing anything), then the version is
 * recorded, then KPIs and access switch. Throws `PolicyError` for a target the scraper refuses.
 *
 * @example
 * ```ts
 * const version = await reloadPolicy(parts, running.file, text, policy, { author: 'ops', reason: '' });
 * ```
 */
export async function reloadPolicy(
  parts: PolicyReloadParts,
  file: string,
  text: string,
  policy: Policy,
  change: PolicyChange,
): Promise<PolicyVersionInfo> {
  if (parts.scrape) {
    try {
      await parts.scrape.update(scrapeTargetsOf(policy));
    } catch (err) {
      if (!(err instanceof TargetConfigError)) throw err;
      const issue = { file, line: 1, column: 1, path: err.field, message: err.reason };
      throw new PolicyError(file, [issue], { cause: err });
    }
  }
  const version = parts.versions.record(text, change);
  parts.evaluator.setPolicy(policy, version.version);
  parts.swap({ file, text, policy, version });
  return version;
}
