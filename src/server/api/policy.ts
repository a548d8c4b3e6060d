/** `GET/PUT /api/v1/policy` and `/api/v1/policy/versions`: read the policy, change it with a token. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import type { PolicyVersionInfo } from '../../sdk/types.js';
import { type PolicyChange, PolicyError, type PolicyVersionStore } from '../policy/index.js';
import { redactPolicy } from '../policy/redact-policy.js';
import type { Policy } from '../policy/types.js';
import { type AccessPolicy, type AuthVariables, requireScope } from './auth.js';
import { policyDocs } from './openapi/route-docs.js';
import { problem } from './problem.js';

/** The policy the server runs now. */
export interface CurrentPolicy {
  readonly text: string;
  readonly policy: Policy;
  readonly version: PolicyVersionInfo;
}

/** Options of {@link createPolicyRoutes}. */
export interface PolicyRoutesOptions {
  readonly current: () => CurrentPolicy;
  readonly versions: Pick<PolicyVersionStore, 'list' | 'recordRejected'>;
  /** Parses and checks text; throws `PolicyError` listing every issue. */
  readonly parse: (text: string) => Policy;
  /**
   * Makes checked text the running policy (records the version, reloads the parts) and answers
   * its version. May throw `PolicyError` for problems only the running parts can see.
   */
  readonly apply: (
    text: string,
    policy: Policy,
    change: PolicyChange,
  ) => Promise<PolicyVersionInfo>;
  /** Token settings, read on every request so a reload takes effect at once. */
  readonly access: () => AccessPolicy;
  /** Largest policy body accepted, bytes. Default 1 MiB. */
  readonly maxBytes?: number;
}

/** Header (or `?reason=` query parameter) that says why a change is made; kept in the version. */
export const REASON_HEADER = 'x-policy-reason';

/**
 * The policy routes. Reading answers the text with its secrets hidden (tokens, SMTP passwords,
 * webhook URLs and headers) as JSON, or as YAML when asked with `Accept: application/yaml`.
 * `PUT` takes YAML text, needs a `write` token, and either answers the new version or a 400
 * problem listing every issue with its line, column and field; a refused text changes nothing.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/policy', createPolicyRoutes(options));
 * await app.request('/api/v1/policy', {
 *   method: 'PUT',
 *   headers: { authorization: `Bearer ${token}`, 'x-policy-reason': 'raise threshold' },
 *   body: yamlText,
 * });
 * ```
 */
export function createPolicyRoutes(options: PolicyRoutesOptions) {
  const { current, versions, parse, apply, access } = options;
  // Changes are applied one at a time: two writers racing must not interleave their reloads.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  return new Hono<{ Variables: AuthVariables }>()
    .get('/', describeRoute(policyDocs.read), (c) => {
      const { text, version } = current();
      const shown = redactPolicy(text);
      if (/\b(application|text)\/(x-)?yaml\b/.test(c.req.header('accept') ?? '')) {
        c.header('x-policy-version', String(version.version));
        c.header('etag', `"${version.hash}"`);
        return c.body(shown, 200, { 'content-type': 'application/yaml; charset=utf-8' });
      }
      return c.json({ ...version, text: shown });
    })
    .get('/versions', describeRoute(policyDocs.versions), (c) => c.json(versions.list()))
    .put(
      '/',
      describeRoute(policyDocs.change),
      requireScope('write', access),
      bodyLimit({
        maxSize: options.maxBytes ?? 1024 * 1024,
        onError: (c) => problem(c, { status: 413, detail: 'the policy is larger than allowed' }),
      }),
      async (c) => {
        const text = await c.req.text();
        const change: PolicyChange = {
          author: c.get('tokenName') ?? 'unknown',
          reason: (c.req.header(REASON_HEADER) ?? c.req.query('reason') ?? '').slice(0, 500),
        };
        try {
          const version = await serialised(() => apply(text, parse(text), change));
          return c.json(version);
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
          versions.recordRejected(text, change, err.issues);
          const count = err.issues.length === 1 ? '1 problem' : `${err.issues.length} problems`;
          return problem(c, {
            status: 400,
            type: 'about:blank',
            title: 'Policy refused',
            detail: `the policy has ${count}; nothing was changed`,
            errors: err.issues,
          });
        }
      },
    );
}

/** The policy routes' type, for typed clients. */
export type PolicyRoutes = ReturnType<typeof createPolicyRoutes>;
