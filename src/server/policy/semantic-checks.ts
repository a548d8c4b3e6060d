/** Checks across fields and sections that a schema cannot express: references, order, uniqueness. */

import { formatDuration } from '../../shared/duration.js';
import { templateProblem } from './alert-template.js';
import { burnWindows } from './burn-windows.js';
import type { RawIssue } from './issue-messages.js';
import { DEFAULTS } from './normalise.js';
import type { RawSections } from './schema.js';
import { targetIssues } from './scrape-targets.js';
import type { FieldPath } from './yaml-position.js';

/**
 * Checks one PromQL expression: undefined when it can run, else the parser's message, with the
 * offset into the text it blames when known and what kind of problem it is (default `syntax`).
 */
export type QueryCheck = (query: string) =>
  | string
  | {
      readonly message: string;
      readonly offset?: number;
      readonly kind?: 'syntax' | 'type' | 'unsupported';
    }
  | undefined;

/** How each kind of query problem is introduced, so a reader knows what to fix. */
const QUERY_PROBLEM = {
  syntax: 'invalid PromQL',
  type: 'PromQL type error',
  unsupported: 'the embedded PromQL engine cannot run this query',
} as const;

/** What the checks need besides the sections. */
export interface CheckContext {
  readonly checkQuery: QueryCheck | undefined;
  /** Environment `token_env` reads from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Line of a field, to say where the first of two duplicates is. */
  readonly lineOf: (path: FieldPath) => number;
  /** Every KPI id and receiver name written in the file, even in items that failed their schema. */
  readonly known: { readonly kpiIds: ReadonlySet<string>; readonly receivers: ReadonlySet<string> };
  /** How far back a query reads samples, ms; undefined when it does not parse (told apart). */
  readonly readWindow?: (query: string) => number | undefined;
  /** The retention given on the command line, which wins over `storage.retention`. */
  readonly storageRetentionMs?: number;
}

/** Shortest token accepted: a bearer token must not be guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** Runs every check whose sections parsed; sections that failed their schema are skipped. */
export function checkSemantics(s: RawSections, ctx: CheckContext): RawIssue[] {
  const out: RawIssue[] = [];
  const add = (path: FieldPath, message: string, valueOffset?: number) =>
    out.push({ path, message, valueOffset });
  const unique = (
    list: FieldPath,
    i: number,
    key: string,
    value: string,
    seen: Map<string, number>,
  ) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else {
      const line = ctx.lineOf([...list, first, key]);
      add([...list, i, key], `duplicate ${key} "${value}" (first at line ${line})`);
    }
  };
  const remote = s.source?.prometheus !== undefined;
  const query = (path: FieldPath, text: string) => {
    const problem = ctx.checkQuery?.(text);
    if (problem === undefined) return;
    if (typeof problem === 'string') add(path, `invalid PromQL: ${problem}`);
    else if (problem.kind === 'unsupported' && remote) {
      // Prometheus runs it; only the embedded engine (and so `validate` here) cannot.
      out.push({
        path,
        message: `${QUERY_PROBLEM.unsupported}: ${problem.message}; the Prometheus source runs it, but this server cannot check it`,
        valueOffset: problem.offset,
        warning: true,
      });
    } else
      add(path, `${QUERY_PROBLEM[problem.kind ?? 'syntax']}: ${problem.message}`, problem.offset);
  };

  if (s.scrape) {
    const interval = s.scrape.interval ?? DEFAULTS.scrapeIntervalMs;
    if (s.scrape.timeout !== undefined && s.scrape.timeout > interval) {
      add(
        ['scrape', 'timeout'],
        `must not be longer than the interval (${formatDuration(interval)})`,
      );
    }
    if (interval === 0) add(['scrape', 'interval'], 'must be more than 0');
  }

  if (s.targets) {
    const seen = new Map<string, number>();
    s.targets.forEach((t, i) => {
      if (!t) return;
      out.push(...targetIssues(t, i, s.scrape));
      const job = t.job ?? t.labels?.service ?? DEFAULTS.job;
      const first = seen.get(`${job} ${t.url}`);
      if (first === undefined) seen.set(`${job} ${t.url}`, i);
      else {
        const line = ctx.lineOf(['targets', first, 'url']);
        add(['targets', i, 'url'], `duplicate target for job "${job}" (first at line ${line})`);
      }
    });
  }

  if (s.kpis) {
    const seen = new Map<string, number>();
    s.kpis.forEach((k, i) => {
      if (!k) return;
      unique(['kpis'], i, 'id', k.id, seen);
      const { warning, critical } = k.thresholds;
      const lowerIsWorse = k.direction === 'lower-is-worse';
      if (lowerIsWorse ? warning < critical : warning > critical) {
        add(
          ['kpis', i, 'thresholds'],
          lowerIsWorse
            ? `with direction lower-is-worse, warning (${warning}) must be >= critical (${critical})`
            : `with direction higher-is-worse, warning (${warning}) must be <= critical (${critical}); for an availability-style KPI set direction: lower-is-worse`,
        );
      }
      const by = new Set<string>();
      k.by?.forEach((name, j) => {
        if (by.has(name)) add(['kpis', i, 'by', j], `label "${name}" is listed twice`);
        by.add(name);
      });
      query(['kpis', i, 'query'], k.query);
    });
  }

  if (s.alerts) {
    const seen = new Map<string, number>();
    const objectives = new Set(
      (s.kpis ?? []).flatMap((k) => (k?.objective !== undefined ? [k.id] : [])),
    );
    s.alerts.forEach((a, i) => {
      if (!a) return;
      const at = (...path: FieldPath) => ['alerts', i, ...path];
      unique(['alerts'], i, 'name', a.name, seen);
      if ((a.kpi === undefined) === (a.query === undefined)) {
        add(at(), 'needs exactly one of "kpi" and "query"');
      }
      if (a.kpi !== undefined && !ctx.known.kpiIds.has(a.kpi)) {
        add(at('kpi'), `no KPI has id "${a.kpi}"`);
      }
      if (a.query !== undefined) {
        if (a.when !== undefined) {
          add(
            at('when'),
            '"when" is for KPI alerts; a query alert fires while its query returns any series',
          );
        }
        if (a.burn_rate !== undefined) add(at('burn_rate'), '"burn_rate" is for KPI alerts');
        query(at('query'), a.query);
      }
      if (a.burn_rate !== undefined && a.kpi !== undefined) {
        if (a.when !== undefined) {
          add(at('when'), '"when" and "burn_rate" do not mix: a burn rate is its own condition');
        }
        if (ctx.known.kpiIds.has(a.kpi) && s.kpis && !objectives.has(a.kpi)) {
          add(at('burn_rate'), `KPI "${a.kpi}" has no objective to burn`);
        }
      }
      for (const field of ['summary', 'description', 'runbook'] as const) {
        const problem = a[field] === undefined ? undefined : templateProblem(a[field]);
        if (problem) add(at(field), problem);
      }
      for (const [name, value] of Object.entries(a.labels ?? {})) {
        if (name === 'alertname' || name === 'severity' || name === 'kpi') {
          add(at('labels', name), `"${name}" is set by the rule itself`);
        }
        const problem = templateProblem(value);
        if (problem) add(at('labels', name), problem);
      }
      a.notify?.forEach((name, j) => {
        if (!ctx.known.receivers.has(name)) {
          add(at('notify', j), `no receiver is named "${name}"`);
        }
      });
    });
  }

  for (const [name, r] of Object.entries(s.receivers ?? {})) {
    if (!r.email && !r.webhook && !r.alertmanager) {
      add(['receivers', name], 'needs "email", "webhook" or "alertmanager"');
    }
    const secrets = [
      ['email', 'password_env', r.email?.password_env],
      ['webhook', 'secret_env', r.webhook?.secret_env],
    ] as const;
    for (const [part, field, variable] of secrets) {
      if (variable !== undefined && !ctx.env[variable]) {
        add(['receivers', name, part, field], `environment variable ${variable} is not set`);
      }
    }
  }

  if (s.auth) {
    const tokens = s.auth.tokens ?? [];
    const seen = new Map<string, number>();
    tokens.forEach((t, i) => {
      unique(['auth', 'tokens'], i, 'name', t.name, seen);
      const at = ['auth', 'tokens', i];
      if ((t.token === undefined) === (t.token_env === undefined)) {
        add(at, 'needs exactly one of "token" and "token_env"');
      } else if (t.token_env !== undefined && !ctx.env[t.token_env]) {
        add([...at, 'token_env'], `environment variable ${t.token_env} is not set`);
      } else if ((t.token ?? ctx.env[t.token_env ?? '']!).length < MIN_TOKEN_LENGTH) {
        add(
          [...at, t.token !== undefined ? 'token' : 'token_env'],
          `tokens must be at least ${MIN_TOKEN_LENGTH} characters`,
        );
      }
      if (new Set(t.scopes).size !== t.scopes.length)
        add([...at, 'scopes'], 'a scope is listed twice');
    });
    if (s.auth.read === 'token' && tokens.length === 0) {
      add(['auth', 'read'], 'reading needs a token, but no tokens are given');
    }
  }

  s.cors?.origins?.forEach((o, i) => {
    if (o !== '*' && !isOrigin(o)) {
      add(
        ['cors', 'origins', i],
        `expected an origin like https://intranet.example.gov or *, got "${o}"`,
      );
    }
  });
  if (remote) {
    // A target list nothing scrapes would read as "these are watched": refuse it instead.
    if (s.targets && s.targets.length > 0) {
      add(
        ['targets'],
        "scraping is off with source.prometheus: list the targets in Prometheus's scrape config, and remove them here",
      );
    }
    if (s.scrape)
      add(['scrape'], 'scraping is off with source.prometheus: set scrape settings in Prometheus');
  } else if (s.history?.from === 'source') {
    add(
      ['history', 'from'],
      'history from the source needs source.prometheus: the embedded engine keeps history in its database',
    );
  }
  if (s.evaluation?.interval === 0) add(['evaluation', 'interval'], 'must be more than 0');
  if (s.history?.retention === 0) add(['history', 'retention'], 'must be more than 0');
  if (s.storage?.retention === 0) add(['storage', 'retention'], 'must be more than 0');
  if (remote && s.storage) {
    add(
      ['storage'],
      'Prometheus keeps the samples with source.prometheus: set its retention there',
    );
  }
  if (!remote) out.push(...windowsPastRetention(s, ctx));
  return out;
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
