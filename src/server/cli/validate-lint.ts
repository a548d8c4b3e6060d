/** `kpi-lights validate`'s last step: scrape the policy's targets once (or ask its Prometheus) and print the selector lint's warnings, placed in the file. */
import { LineCounter, parseDocument } from 'yaml';
import type { PolicyIssue } from '../../sdk/types.js';
import { errorMessage } from '../../shared/error-message.js';
import { lintSelectors, querySelectors, type TargetView } from '../kpi/index.js';
import { formatIssue, type Policy } from '../policy/index.js';
import { formatPath } from '../policy/load-policy.js';
import { scrapeTargetsOf } from '../policy/scrape-targets.js';
import { type FieldPath, offsetOf, positionOf } from '../policy/yaml-position.js';
import { PromqlEngine } from '../promql/index.js';
import { ScrapeManager, toTargetHealth } from '../scrape/index.js';
import { createEmbeddedSource, createPrometheusSource, type QuerySource } from '../source/index.js';
import { createHead } from '../store/index.js';
import type { CliIo } from './cli-io.js';

/** Each query the lint reads, with where it is in the file. */
function lintedQueries(policy: Policy): { path: FieldPath; query: string }[] {
  return [
    ...policy.kpis.map((k, i) => ({ path: ['kpis', i, 'query'], query: k.query })),
    ...policy.alerts.flatMap((a, i) =>
      a.condition.kind === 'query'
        ? [{ path: ['alerts', i, 'query'], query: a.condition.query }]
        : [],
    ),
  ];
}

/** The source to lint against: the targets scraped once into a head, or the policy's Prometheus. */
async function sourceFor(policy: Policy, io: CliIo): Promise<QuerySource | undefined> {
  if (policy.source.kind === 'prometheus') {
    const source = createPrometheusSource({
      url: policy.source.url,
      headers: policy.source.headers,
      timeoutMs: policy.source.timeoutMs,
    });
    try {
      await source.targets?.();
      return source;
    } catch (err) {
      io.err(
        `note: the Prometheus source does not answer (${errorMessage(err)}): selectors not checked`,
      );
      return undefined;
    }
  }
  if (policy.targets.length === 0) return undefined;
  const head = createHead();
  const scrape = new ScrapeManager({ store: head, targets: scrapeTargetsOf(policy) });
  await Promise.all(scrape.targets().map((t) => scrape.scrapeNow(t.id)));
  const health = scrape.health();
  health.forEach((h, i) => {
    if (h.health !== 'up') {
      io.err(
        `note: targets[${i}] ${h.url} did not answer (${h.lastError}): selectors it may feed were not checked`,
      );
    }
  });
  if (health.every((h) => h.health !== 'up')) return undefined;
  return createEmbeddedSource(new PromqlEngine(head, {}), {
    head,
    targets: () => health.map(toTargetHealth),
  });
}

/**
 * Scrapes every target once (each within its scrape timeout, all at once), or asks the
 * policy's Prometheus, and prints each selector the lint says matches nothing and never will,
 * as `warning: file:line:col kpis[0].query: …`, on `io.err`. Targets that do not answer are
 * named and their selectors left alone: a CI job without access to production still validates.
 * Warnings do not change the exit code.
 *
 * @example
 * ```ts
 * const { policy, text } = loadPolicyFile('kpi-lights.yaml');
 * await lintAgainstTargets(policy, text, 'kpi-lights.yaml', io);
 * ```
 */
export async function lintAgainstTargets(
  policy: Policy,
  text: string,
  file: string,
  io: CliIo,
): Promise<number> {
  const source = await sourceFor(policy, io);
  if (!source) return 0;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const atMs = Date.now();
  let count = 0;
  for (const { path, query } of lintedQueries(policy)) {
    let targets: readonly TargetView[] = [];
    try {
      targets = (await source.targets?.()) ?? [];
    } catch {
      // The lint holds back on its own when it cannot tell.
    }
    const lint = await lintSelectors(querySelectors(query), source, {
      atMs,
      timeoutMs: 10_000,
      targets: () => targets,
    });
    for (const message of lint.warnings) {
      const issue: PolicyIssue = {
        file,
        ...positionOf(lines, offsetOf(doc, path)),
        path: formatPath(path),
        message,
      };
      io.err(`warning: ${formatIssue(issue)}`);
      count++;
    }
  }
  return count;
}
