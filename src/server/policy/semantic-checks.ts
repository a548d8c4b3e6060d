/** Checks across fields and sections that a schema cannot express: references, order, uniqueness. */

import { formatDuration } from '../../shared/duration.js';
import { checkAlerts } from './alert-checks.js';
import { burnWindows } from './burn-windows.js';
import type { RawIssue } from './issue-messages.js';
import { DEFAULTS } from './normalise.js';
import type { RawSections } from './schema.js';
import { targetIssues } from './scrape-targets.js';
import { type CheckContext, SemanticIssues } from './semantic-issues.js';
import type { FieldPath } from './yaml-position.js';

export type { CheckContext, QueryCheck } from './semantic-issues.js';

/** Shortest token accepted: a bearer token must not be guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** Runs every check whose sections parsed; sections that failed their schema are skipped. */
export function checkSemantics(s: RawSections, ctx: CheckContext): RawIssue[] {
  const remote = s.source?.prometheus !== undefined;
  const issues = new SemanticIssues(ctx, remote);
  checkScrape(s, issues);
  checkTargets(s, issues);
  checkKpis(s, issues);
  checkAlerts(s, issues);
  checkReceivers(s, issues);
  checkAuth(s, issues);
  checkCors(s, issues);
  checkSourceFit(s, issues, remote);
  if (s.evaluation?.interval === 0) issues.add(['evaluation', 'interval'], 'must be more than 0');
  if (s.history?.retention === 0) issues.add(['history', 'retention'], 'must be more than 0');
  checkStorage(s, issues, remote);
  if (!remote) issues.list.push(...windowsPastRetention(s, ctx));
  return issues.list;
}

/** Checks that a scrape fits in its interval and that the interval is not zero. */
function checkScrape(s: RawSections, issues: SemanticIssues): void {
  if (!s.scrape) return;
  const interval = s.scrape.interval ?? DEFAULTS.scrapeIntervalMs;
  if (s.scrape.timeout !== undefined && s.scrape.timeout > interval) {
    issues.add(
      ['scrape', 'timeout'],
      `must not be longer than the interval (${formatDuration(interval)})`,
    );
  }
  if (interval === 0) issues.add(['scrape', 'interval'], 'must be more than 0');
}

/** Checks each target as the scraper will, and that no job scrapes one URL twice. */
function checkTargets(s: RawSections, issues: SemanticIssues): void {
  if (!s.targets) return;
  const seen = new Map<string, number>();
  s.targets.forEach((t, i) => {
    if (!t) return;
    issues.list.push(...targetIssues(t, i, s.scrape));
    const job = t.job ?? t.labels?.service ?? DEFAULTS.job;
    const first = seen.get(`${job} ${t.url}`);
    if (first === undefined) seen.set(`${job} ${t.url}`, i);
    else {
      const line = issues.ctx.lineOf(['targets', first, 'url']);
      issues.add(
        ['targets', i, 'url'],
        `duplicate target for job "${job}" (first at line ${line})`,
      );
    }
  });
}

/** Checks KPI ids are unique, thresholds are in the order of the direction, and queries run. */
function checkKpis(s: RawSections, issues: SemanticIssues): void {
  if (!s.kpis) return;
  const seen = new Map<string, number>();
  s.kpis.forEach((k, i) => {
    if (!k) return;
    issues.unique(['kpis'], i, 'id', k.id, seen);
    const { warning, critical } = k.thresholds;
    const lowerIsWorse = k.direction === 'lower-is-worse';
    if (lowerIsWorse ? warning < critical : warning > critical) {
      issues.add(
        ['kpis', i, 'thresholds'],
        lowerIsWorse
          ? `with direction lower-is-worse, warning (${warning}) must be >= critical (${critical})`
          : `with direction higher-is-worse, warning (${warning}) must be <= critical (${critical}); for an availability-style KPI set direction: lower-is-worse`,
      );
    }
    const by = new Set<string>();
    k.by?.forEach((name, j) => {
      if (by.has(name)) issues.add(['kpis', i, 'by', j], `label "${name}" is listed twice`);
      by.add(name);
    });
    issues.query(['kpis', i, 'query'], k.query);
  });
}

/** Checks each receiver has a channel and that the secrets it names are set. */
function checkReceivers(s: RawSections, issues: SemanticIssues): void {
  for (const [name, r] of Object.entries(s.receivers ?? {})) {
    if (!r.email && !r.webhook && !r.alertmanager) {
      issues.add(['receivers', name], 'needs "email", "webhook" or "alertmanager"');
    }
    const secrets = [
      ['email', 'password_env', r.email?.password_env],
      ['webhook', 'secret_env', r.webhook?.secret_env],
    ] as const;
    for (const [part, field, variable] of secrets) {
      if (variable !== undefined && !issues.ctx.env[variable]) {
        issues.add(['receivers', name, part, field], `environment variable ${variable} is not set`);
      }
    }
  }
}

/** Checks tokens are unique, set, long enough and scoped once each, and that reading has one. */
function checkAuth(s: RawSections, issues: SemanticIssues): void {
  if (!s.auth) return;
  const { env } = issues.ctx;
  const tokens = s.auth.tokens ?? [];
  const seen = new Map<string, number>();
  tokens.forEach((t, i) => {
    issues.unique(['auth', 'tokens'], i, 'name', t.name, seen);
    const at = ['auth', 'tokens', i];
    if ((t.token === undefined) === (t.token_env === undefined)) {
      issues.add(at, 'needs exactly one of "token" and "token_env"');
    } else if (t.token_env !== undefined && !env[t.token_env]) {
      issues.add([...at, 'token_env'], `environment variable ${t.token_env} is not set`);
    } else if ((t.token ?? env[t.token_env ?? '']!).length < MIN_TOKEN_LENGTH) {
      issues.add(
        [...at, t.token !== undefined ? 'token' : 'token_env'],
        `tokens must be at least ${MIN_TOKEN_LENGTH} characters`,
      );
    }
    if (new Set(t.scopes).size !== t.scopes.length)
      issues.add([...at, 'scopes'], 'a scope is listed twice');
  });
  if (s.auth.read === 'token' && tokens.length === 0) {
    issues.add(['auth', 'read'], 'reading needs a token, but no tokens are given');
  }
}

/** Checks each CORS origin is `*` or a bare origin. */
function checkCors(s: RawSections, issues: SemanticIssues): void {
  s.cors?.origins?.forEach((o, i) => {
    if (o !== '*' && !isOrigin(o)) {
      issues.add(
        ['cors', 'origins', i],
        `expected an origin like https://intranet.example.gov or *, got "${o}"`,
      );
    }
  });
}

/** Checks the scrape and history sections agree with where samples come from. */
function checkSourceFit(s: RawSections, issues: SemanticIssues, remote: boolean): void {
  if (remote) {
    // A target list nothing scrapes would read as "these are watched": refuse it instead.
    if (s.targets && s.targets.length > 0) {
      issues.add(
        ['targets'],
        "scraping is off with source.prometheus: list the targets in Prometheus's scrape config, and remove them here",
      );
    }
    if (s.scrape)
      issues.add(
        ['scrape'],
        'scraping is off with source.prometheus: set scrape settings in Prometheus',
      );
  } else if (s.history?.from === 'source') {
    issues.add(
      ['history', 'from'],
      'history from the source needs source.prometheus: the embedded engine keeps history in its database',
    );
  }
}

/** Checks the storage section: a retention above zero, and no storage when Prometheus keeps the samples. */
function checkStorage(s: RawSections, issues: SemanticIssues, remote: boolean): void {
  if (s.storage?.retention === 0) issues.add(['storage', 'retention'], 'must be more than 0');
  if (remote && s.storage) {
    issues.add(
      ['storage'],
      'Prometheus keeps the samples with source.prometheus: set its retention there',
    );
  }
}

/**
 * Every query, and every burn-rate alert, that reads further back than the samples are kept:
 * refused, rather than computed over less data than it asks for.
 */
function windowsPastRetention(s: RawSections, ctx: CheckContext): RawIssue[] {
  const readWindow = ctx.readWindow;
  if (readWindow === undefined) return [];
  const retention = ctx.storageRetentionMs ?? (s.storage?.retention || DEFAULTS.storageRetentionMs);
  const source =
    ctx.storageRetentionMs !== undefined
      ? `--storage.retention ${formatDuration(retention)}`
      : s.storage?.retention
        ? `storage.retention ${formatDuration(retention)}`
        : `the default storage retention, ${formatDuration(retention)}`;
  const out: RawIssue[] = [];
  const check = (path: FieldPath, what: string, needs: number | undefined) => {
    if (needs === undefined || needs <= retention) return;
    out.push({
      path,
      message: `${what} reads ${formatDuration(needs)} of samples, more than ${source} keeps: raise the retention, or shorten the window`,
    });
  };
  s.kpis?.forEach((k, i) => {
    if (k) check(['kpis', i, 'query'], 'this query', readWindow(k.query));
  });
  s.alerts?.forEach((a, i) => {
    if (!a) return;
    if (a.query !== undefined) check(['alerts', i, 'query'], 'this query', readWindow(a.query));
    const kpi = a.burn_rate && s.kpis?.find((k) => k?.id === a.kpi);
    if (!a.burn_rate || !kpi) return;
    const inner = readWindow(kpi.query);
    if (inner === undefined) return;
    const windows = burnWindows(a.burn_rate, kpi.budget_window ?? DEFAULTS.budgetWindowMs);
    const longest = Math.max(...windows.map((w) => w.longMs));
    check(['alerts', i, 'burn_rate'], `this ${a.burn_rate} burn-rate alert`, longest + inner);
  });
  return out;
}

function isOrigin(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === text;
  } catch {
    return false;
  }
}
