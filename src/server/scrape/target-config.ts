/** Scrape target configuration: the options a user gives, checked and resolved against defaults. */

import { formatDuration } from '../../shared/duration.js';
import { checkLabelName } from '../../shared/label-name.js';
import { labelsText } from '../model/label-text.js';
import type { Labels } from '../model/model.js';

/**
 * Per-scrape protections; 0 means no limit. Unlike Prometheus, the label limits are on by
 * default: a target is not trusted to keep its labels small, and one 1 MB label value is held
 * in memory and served for as long as the series lives.
 */
export interface ScrapeLimits {
  /** Largest accepted body in bytes, counted after decompression. */
  readonly bodySizeLimit: number;
  /** Most samples accepted from one scrape; more fails the whole scrape. */
  readonly sampleLimit: number;
  /**
   * Most series the target may hold in the head at once, counting series it stopped sending
   * that have not aged out yet; a scrape that would pass it fails whole. Catches churn, which
   * `sampleLimit` cannot see.
   */
  readonly seriesLimit: number;
  /** Most labels on one stored series, `__name__` included. */
  readonly labelLimit: number;
  /** Longest label name, in UTF-8 bytes. */
  readonly labelNameLengthLimit: number;
  /** Longest label value, in UTF-8 bytes. */
  readonly labelValueLengthLimit: number;
}

/** Settings every target inherits unless it sets its own. Every field is optional. */
export interface ScrapeDefaults extends Partial<ScrapeLimits> {
  /** The `job` label of targets that name none. Default `kpi-lights`. */
  readonly job?: string;
  /** Milliseconds between scrapes. Default 15 000. */
  readonly intervalMs?: number;
  /** Milliseconds a scrape may take, connect to last byte. Default 10 000, capped at the interval. */
  readonly timeoutMs?: number;
  /** Use timestamps written in the exposition (Prometheus's `honor_timestamps`). Default true. */
  readonly honorTimestamps?: boolean;
}

/** One target as a user writes it: a URL plus anything from {@link ScrapeDefaults}. */
export interface ScrapeTargetOptions extends ScrapeDefaults {
  /** The `/metrics` URL, `http:` or `https:`. */
  readonly url: string;
  /** Labels added to every series of the target, e.g. `service`, `agency`, `env`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A target ready to scrape: every field resolved and checked. */
export interface ScrapeTarget {
  /** Stable identity: URL plus target labels. Equal ids mean the same series. */
  readonly id: string;
  readonly url: string;
  readonly job: string;
  /** `host:port` of the URL, the `instance` label. */
  readonly instance: string;
  /** The user's labels, without `job` and `instance`. */
  readonly labels: Labels;
  /** Every label added to scraped series: the user's labels plus `job` and `instance`, sorted. */
  readonly targetLabels: Labels;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly honorTimestamps: boolean;
  readonly limits: ScrapeLimits;
}

/**
 * A target option that cannot be used. The field, the reason and the target's place in its list
 * are fields of their own, so callers re-word or re-locate the error without parsing the message.
 */
export class TargetConfigError extends Error {
  /** Index of the target in the list it was given in; `undefined` for a lone target. */
  readonly target: number | undefined;

  /**
   * @param field Path of the bad option, e.g. `url`, `labels.env`, `targets[2].url`.
   * @param reason What is wrong with it, in words, without the field.
   * @example
   * ```ts
   * throw new TargetConfigError('url', 'is required'); // "scrape target url: is required"
   * ```
   */
  constructor(
    readonly field: string,
    readonly reason: string,
    options: { readonly target?: number; readonly cause?: unknown } = {},
  ) {
    super(`scrape target ${field}: ${reason}`, { cause: options.cause });
    this.name = 'TargetConfigError';
    this.target = options.target;
  }
}

/** Defaults of {@link ScrapeDefaults}. */
export const SCRAPE_DEFAULTS = {
  job: 'kpi-lights',
  intervalMs: 15_000,
  timeoutMs: 10_000,
  honorTimestamps: true,
  bodySizeLimit: 10 * 1024 * 1024,
  sampleLimit: 0,
  // As many series as the policy's default sample limit lets one scrape send: a steady target
  // never meets it, one that renames its series every scrape does within a few scrapes.
  seriesLimit: 100_000,
  // 64 labels, `__name__` and target labels included: several times what a sane series carries.
  labelLimit: 64,
  // 256 bytes: label names are identifiers; anything longer is a bug or an attack.
  labelNameLengthLimit: 256,
  // 4 KiB: room for a long URL or build string, far short of a 1 MB value served to every reader.
  labelValueLengthLimit: 4 * 1024,
} as const satisfies Required<ScrapeDefaults>;

const LIMIT_FIELDS = [
  'bodySizeLimit',
  'sampleLimit',
  'seriesLimit',
  'labelLimit',
  'labelNameLengthLimit',
  'labelValueLengthLimit',
] as const;

function wholeMs(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new TargetConfigError(
      field,
      `must be a whole number of milliseconds ≥ ${min}, got ${String(v)}`,
    );
  }
  return v;
}

function limit(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new TargetConfigError(
      field,
      `must be a whole number ≥ 0 (0 = no limit), got ${String(v)}`,
    );
  }
  return v;
}

function parseUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || raw === '') throw new TargetConfigError('url', 'is required');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetConfigError('url', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetConfigError('url', `"${raw}" must use http: or https:`);
  }
  if (url.username || url.password) {
    throw new TargetConfigError('url', 'must not carry credentials');
  }
  return url;
}

/** Labels every target sets itself, so a user's label of that name would be overwritten. */
const TARGET_SETS = {
  job: "set it with the target's job field instead",
  instance: "it is the target's host:port, from its url",
};

function checkLabels(raw: unknown, problems: TargetConfigError[]): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(new TargetConfigError('labels', 'must be a map of label name to value'));
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const refused = checkLabelName(name, { reserved: TARGET_SETS });
    if (refused) problems.push(new TargetConfigError(`labels.${name}`, refused));
    else if (typeof value !== 'string') {
      problems.push(new TargetConfigError(`labels.${name}`, 'must be a string'));
    } else if (value !== '') {
      // An empty value means "no label" in Prometheus; keeping it out avoids two spellings of one series.
      out[name] = value;
    }
  }
  return out;
}

/** `host:port` with the scheme's default port written out, as Prometheus's `instance` label. */
export function instanceOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** Every option of one target, each checked on its own so that all problems are found at once. */
function checkParts(options: ScrapeTargetOptions, defaults: ScrapeDefaults) {
  const problems: TargetConfigError[] = [];
  const take = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof TargetConfigError)) throw err;
      problems.push(err);
      return undefined;
    }
  };
  const merged = { ...SCRAPE_DEFAULTS, ...stripUndefined(defaults), ...stripUndefined(options) };
  const url = take(() => parseUrl(options.url));
  const labels = checkLabels(options.labels, problems);
  const job = take(() => {
    if (typeof merged.job !== 'string' || merged.job === '')
      throw new TargetConfigError('job', 'must be a non-empty string');
    return merged.job;
  });
  const intervalMs = take(() => wholeMs('intervalMs', merged.intervalMs, 1));
  let timeoutMs = take(() => wholeMs('timeoutMs', merged.timeoutMs, 1));
  if (timeoutMs !== undefined && intervalMs !== undefined) {
    // A target's own timeout longer than its interval is a mistake; an inherited one is capped (as Prometheus does).
    if (options.timeoutMs === undefined) timeoutMs = Math.min(timeoutMs, intervalMs);
    if (timeoutMs > intervalMs) {
      problems.push(
        new TargetConfigError(
          'timeoutMs',
          `timeout ${formatDuration(timeoutMs)} is longer than interval ${formatDuration(intervalMs)}`,
        ),
      );
    }
  }
  if (typeof merged.honorTimestamps !== 'boolean') {
    problems.push(new TargetConfigError('honorTimestamps', 'must be true or false'));
  }
  const limits = {} as Record<(typeof LIMIT_FIELDS)[number], number>;
  for (const f of LIMIT_FIELDS) limits[f] = take(() => limit(f, merged[f])) ?? 0;
  const parts = { url, labels, job, intervalMs, timeoutMs, limits };
  return { problems, parts, honorTimestamps: merged.honorTimestamps === true };
}

/**
 * Every problem with one target, in option order; empty when {@link resolveTarget} would take it.
 * The policy runs its targets through this, so `validate` refuses exactly what the scraper does.
 *
 * @example
 * ```ts
 * targetProblems({ url: 'ftp://x', labels: { job: 'a' } }).map((p) => p.field); // ['url', 'labels.job']
 * ```
 */
export function targetProblems(
  options: ScrapeTargetOptions,
  defaults: ScrapeDefaults = {},
): readonly TargetConfigError[] {
  return checkParts(options, defaults).problems;
}

/**
 * Checks one target and fills it in from the defaults. Throws {@link TargetConfigError} naming
 * the first field at fault.
 *
 * @example
 * ```ts
 * const t = resolveTarget(
 *   { url: 'http://127.0.0.1:8001/metrics', labels: { service: 'efile' }, intervalMs: 5_000 },
 *   { job: 'efile', timeoutMs: 2_000 },
 * );
 * t.instance; // '127.0.0.1:8001'
 * ```
 */
export function resolveTarget(
  options: ScrapeTargetOptions,
  defaults: ScrapeDefaults = {},
): ScrapeTarget {
  const { problems, parts, honorTimestamps } = checkParts(options, defaults);
  const { url, labels, job, intervalMs, timeoutMs, limits } = parts;
  if (problems.length > 0) throw problems[0];
  if (!url || !job || intervalMs === undefined || timeoutMs === undefined) {
    throw new Error('unreachable: a target with no problems has every part');
  }
  const instance = instanceOf(url);
  const all: Record<string, string> = { ...labels, instance, job };
  const targetLabels: Record<string, string> = {};
  for (const k of Object.keys(all).sort()) targetLabels[k] = all[k];
  return {
    id: `${url.href} ${labelsText(targetLabels)}`,
    url: url.href,
    job,
    instance,
    labels,
    targetLabels,
    intervalMs,
    timeoutMs,
    honorTimestamps,
    limits,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** True when two resolved targets would scrape identically (so a hot reload can keep the loop). */
export function sameTarget(a: ScrapeTarget, b: ScrapeTarget): boolean {
  return (
    a.id === b.id &&
    a.intervalMs === b.intervalMs &&
    a.timeoutMs === b.timeoutMs &&
    a.honorTimestamps === b.honorTimestamps &&
    LIMIT_FIELDS.every((f) => a.limits[f] === b.limits[f])
  );
}
