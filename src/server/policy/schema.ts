/** The policy file's shape as zod schemas, one per top-level section, keys as the user writes them. */
import { z } from 'zod';
import { DIRECTIONS, KPI_UNITS } from '../../sdk/types.js';
import { type DurationError, parseDuration } from '../../shared/duration.js';
import { checkLabelName } from '../../shared/label-name.js';
import { redactUrlSecrets, urlSecrets } from '../../shared/url-secrets.js';

/** A Prometheus duration, turned into ms; a non-string says what it got. */
const duration = () =>
  z.unknown().transform((v, ctx): number => {
    if (typeof v !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like 15s or 1h30m, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    try {
      return parseDuration(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as DurationError).message });
      return z.NEVER;
    }
  });

/** What a URL field refuses besides a wrong scheme, each with the advice the refusal gives. */
interface UrlRules {
  /** `user:password@`: refused with this advice, else allowed (and redacted when served). */
  readonly credentials?: string;
  /** `?token=`, `?api_key=`, …: refused with this advice, else allowed (and redacted when served). */
  readonly secretParams?: string;
}

/** An absolute URL whose scheme is one of `schemes`; messages never quote its secrets. */
const url = (schemes: readonly string[], rules: UrlRules = {}) =>
  z.string().superRefine((v, ctx) => {
    const shown = JSON.stringify(redactUrlSecrets(v));
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `invalid URL ${shown}` });
      return;
    }
    const scheme = parsed.protocol.slice(0, -1);
    if (!schemes.includes(scheme) || !parsed.hostname) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${schemes.join(' or ')} URL, got ${shown}`,
      });
      return;
    }
    const secrets = urlSecrets(v);
    if (secrets?.userinfo !== undefined && rules.credentials) {
      ctx.addIssue({ code: 'custom', message: `must not carry credentials; ${rules.credentials}` });
    }
    if (secrets && secrets.params.length > 0 && rules.secretParams) {
      const names = secrets.params.map((p) => `"${p}"`).join(', ');
      ctx.addIssue({
        code: 'custom',
        message: `must not carry a secret in its query (${names}); ${rules.secretParams}`,
      });
    }
  });

const httpUrl = (rules?: UrlRules) => url(['http', 'https'], rules);

const SIZE = /^(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/;
const SIZE_FACTOR: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  KiB: 1024,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
};

/** A byte size: a whole number, or text like `10MB` (base 2, as Prometheus reads it). */
const byteSize = () =>
  z.unknown().transform((v, ctx): number => {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    const m = typeof v === 'string' ? SIZE.exec(v.trim()) : null;
    if (!m) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size like 10MB or a whole number of bytes, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return Number(m[1]) * SIZE_FACTOR[m[2] ?? 'B'];
  });

const count = () => z.number().int().nonnegative();
const text = () => z.string().trim().min(1);

const labelName = () =>
  z.string().superRefine((name, ctx) => {
    const refused = checkLabelName(name, { refuseDoubleUnderscore: false });
    if (refused) ctx.addIssue({ code: 'custom', message: refused });
  });

const labelSet = () => z.record(z.string(), z.string());

export const scrapeSchema = z.strictObject({
  interval: duration().optional(),
  timeout: duration().optional(),
  limits: z
    .strictObject({
      body_size_limit: byteSize().optional(),
      sample_limit: count().optional(),
      series_limit: count().optional(),
      label_limit: count().optional(),
      label_name_length_limit: count().optional(),
      label_value_length_limit: count().optional(),
    })
    .optional(),
});

export const targetSchema = z.strictObject({
  // Checked by the scraper's own rule (`targetIssues`), so validate and serve cannot differ.
  url: z.string(),
  labels: labelSet().optional(),
  job: text().optional(),
  interval: duration().optional(),
  timeout: duration().optional(),
});

export const kpiSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/,
      'ids are 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit',
    ),
  title: text(),
  description: text().optional(),
  query: text(),
  unit: z.enum(KPI_UNITS),
  thresholds: z.strictObject({ warning: z.number(), critical: z.number() }),
  direction: z.enum(DIRECTIONS).optional(),
  objective: z
    .number()
    .gt(0, 'must be between 0 and 1, e.g. 0.99')
    .lt(1, 'must be between 0 and 1, e.g. 0.99')
    .optional(),
  budget_window: duration().optional(),
  by: z.array(labelName()).optional(),
  runbook: httpUrl().optional(),
});

export const alertSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-zA-Z][a-zA-Z0-9_.-]*$/,
      'alert names are letters, digits, ".", "_" and "-", starting with a letter',
    ),
  kpi: z.string().optional(),
  query: text().optional(),
  when: z.enum(['warning', 'critical']).optional(),
  burn_rate: z.enum(['page', 'ticket']).optional(),
  for: duration().optional(),
  keep_firing_for: duration().optional(),
  no_data: z.enum(['hold', 'ok', 'alert']).optional(),
  severity: text().optional(),
  labels: z.record(labelName(), z.string()).optional(),
  summary: text().optional(),
  description: text().optional(),
  runbook: httpUrl().optional(),
  notify: z.array(z.string()).optional(),
});

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
const email = () => z.string().regex(EMAIL, 'expected an e-mail address like oncall@example.gov');

/** Alertmanager's four timing fields, shared by `route:` and each receiver. */
const timing = {
  group_by: z.array(labelName()).optional(),
  group_wait: duration().optional(),
  group_interval: duration().optional(),
  repeat_interval: duration().optional(),
};

export const routeSchema = z.strictObject({
  ...timing,
  /** Where people look at the lights; notices link to it. */
  external_url: httpUrl().optional(),
});

export const receiverSchema = z.strictObject({
  email: z
    .strictObject({
      to: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(email()).min(1)),
      from: email(),
      smtp: url(['smtp', 'smtps']),
      starttls: z.enum(['required', 'opportunistic', 'off']).optional(),
      username: text().optional(),
      password_env: z.string().optional(),
    })
    .optional(),
  webhook: z
    .strictObject({
      url: httpUrl({
        credentials: 'send them as a header, e.g. headers: { Authorization: Basic … }',
      }),
      headers: z.record(z.string(), z.string()).optional(),
      secret_env: z.string().optional(),
    })
    .optional(),
  alertmanager: z
    .strictObject({
      url: httpUrl({ credentials: 'put an authenticating proxy in front of Alertmanager' }),
    })
    .optional(),
  rate_limit: z.strictObject({ max: z.number().int().positive(), per: duration() }).optional(),
  ...timing,
});

export const tokenSchema = z.strictObject({
  name: text(),
  token: z.string().optional(),
  token_env: z.string().optional(),
  scopes: z.array(z.enum(['read', 'write'])).min(1),
});

export const authSchema = z.strictObject({
  read: z.enum(['public', 'token']).optional(),
  tokens: z.array(tokenSchema).optional(),
});

export const corsSchema = z.strictObject({ origins: z.array(z.string()).optional() });
export const evaluationSchema = z.strictObject({ interval: duration().optional() });
export const historySchema = z.strictObject({
  retention: duration().optional(),
  /** `source`: answer history with `query_range` on the source, so a replica keeps nothing. */
  from: z.enum(['database', 'source']).optional(),
});

/** Where KPI queries go; without the section, the embedded engine over our own scrapes. */
export const sourceSchema = z.strictObject({
  prometheus: z.strictObject({
    url: httpUrl({
      credentials: 'send them as a header, e.g. headers: { Authorization: Basic … }',
      secretParams: 'send it as a header instead, e.g. headers: { Authorization: Bearer … }',
    }),
    /** Sent with every request, e.g. `Authorization` or `X-Scope-OrgID`; secrets, so redacted. */
    headers: z.record(z.string(), z.string()).optional(),
    timeout: duration().optional(),
    /** Who may send PromQL of their own through it: `kpis-only` (default) keeps anonymous readers to the KPIs. */
    public_queries: z.enum(['kpis-only', 'any']).optional(),
  }),
});
export const governanceSchema = z.strictObject({ two_person: z.boolean().optional() });
/** Where the embedded engine keeps its samples: how long, and how much disk at most. */
export const storageSchema = z.strictObject({
  retention: duration().optional(),
  max_bytes: byteSize().optional(),
});

/**
 * Each top-level section, checked on its own so one broken section hides nothing in the rest.
 * List sections name their item schema: items are checked one by one for the same reason.
 */
export const sectionSchemas = {
  scrape: scrapeSchema,
  targets: targetSchema,
  kpis: kpiSchema,
  alerts: alertSchema,
  route: routeSchema,
  receivers: z.record(
    z
      .string()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
        'receiver names are letters, digits, ".", "_" and "-"',
      ),
    receiverSchema,
  ),
  auth: authSchema,
  cors: corsSchema,
  evaluation: evaluationSchema,
  history: historySchema,
  governance: governanceSchema,
  source: sourceSchema,
  storage: storageSchema,
} as const;

export type SectionName = keyof typeof sectionSchemas;

/** The sections that are lists of items. */
export const LIST_SECTIONS: ReadonlySet<SectionName> = new Set(['targets', 'kpis', 'alerts']);

type Out<K extends SectionName> = z.output<(typeof sectionSchemas)[K]>;

/**
 * What each section looks like once checked; a list keeps a hole (undefined) for each item
 * that failed, so indexes still match the file.
 */
export type RawSections = {
  [K in SectionName]?: K extends 'targets' | 'kpis' | 'alerts' ? (Out<K> | undefined)[] : Out<K>;
};

/** The sections once every item passed: what `normalise` builds the policy from. */
export type CheckedSections = {
  [K in SectionName]?: K extends 'targets' | 'kpis' | 'alerts' ? Out<K>[] : Out<K>;
};
