/** The scraper's targets for a policy, and the scraper's own refusals placed as policy issues. */
import { redactUrlSecrets } from '../../shared/url-secrets.js';
import type { ScrapeLimits, ScrapeTargetOptions } from '../scrape/index.js';
import { targetProblems } from '../scrape/target-config.js';
import type { RawIssue } from './issue-messages.js';
import { normaliseLimits, normaliseTarget } from './normalise.js';
import type { CheckedSections } from './schema.js';
import type { Policy, TargetDefinition } from './types.js';
import type { FieldPath } from './yaml-position.js';

/** One target as the scraper takes it. Limits go on each target, so a reload changes them too. */
function scrapeTargetOf(t: TargetDefinition, limits: ScrapeLimits): ScrapeTargetOptions {
  return {
    url: t.url,
    job: t.job,
    labels: t.labels,
    intervalMs: t.intervalMs,
    timeoutMs: t.timeoutMs,
    ...limits,
  };
}

/**
 * The scraper's targets for a policy.
 *
 * @example
 * ```ts
 * new ScrapeManager({ store: head, targets: scrapeTargetsOf(policy) });
 * ```
 */
export function scrapeTargetsOf(policy: Policy): ScrapeTargetOptions[] {
  return policy.targets.map((t) => scrapeTargetOf(t, policy.scrape.limits));
}

type RawTarget = NonNullable<CheckedSections['targets']>[number];

/**
 * Runs one target through the scraper's own check (`targetProblems`), so that what
 * `kpi-lights validate` accepts is exactly what `serve` and a `PUT` accept: a target has one
 * validator, the scraper's, and the policy only places its words in the file.
 */
export function targetIssues(
  t: RawTarget,
  i: number,
  scrape: CheckedSections['scrape'],
): RawIssue[] {
  const options = scrapeTargetOf(normaliseTarget(t, scrape), normaliseLimits(scrape));
  return targetProblems(options).map((problem) => ({
    path: ['targets', i, ...fieldOf(problem.field, t)],
    // The scraper quotes a URL it refuses; the audit and a refused PUT must not keep its token.
    message: redactUrlSecrets(problem.reason),
  }));
}

/** Where a scraper option lives in the policy file. */
function fieldOf(field: string, t: RawTarget): FieldPath {
  const [head, ...rest] = field.split('.');
  if (head === 'url' || head === 'job' || head === 'labels') return [head, ...rest];
  if (head === 'intervalMs') return ['interval'];
  // A timeout inherited from `scrape:` is wrong for this target's interval.
  if (head === 'timeoutMs') return [t.timeout !== undefined ? 'timeout' : 'interval'];
  // Limits come from `scrape.limits`, whose schema has checked them: blame the target.
  return [];
}
