/** `rules` and `alerts` of Prometheus's API: kpi-lights's own rules and alerts, in Prometheus's shape. */
import { type Context, Hono } from 'hono';
import { readApiParams } from './api-params.js';
import { ApiError, apiSuccess } from './api-reply.js';
import { prometheusAlert, type RulesInput, rulesView } from './rules-view.js';

/**
 * The two routes, path-relative (mount under `/api/v1`). `rules` takes Prometheus's filters:
 * `type=alert|record`, `rule_name[]`, `rule_group[]` and `file[]`.
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1', createRulesRoutes({ input: () => ({ policy, file, readings, alerts, lastRoundMs }) }));
 * ```
 */
export function createRulesRoutes(options: { readonly input: () => RulesInput }) {
  return new Hono()
    .get('/rules', async (c: Context) => {
      const params = await readApiParams(c);
      const type = params.get('type');
      if (type !== undefined && type !== '' && type !== 'alert' && type !== 'record') {
        throw new ApiError('bad_data', `invalid parameter "type": not supported value "${type}"`);
      }
      const names = new Set(params.all('rule_name[]'));
      const groups = new Set(params.all('rule_group[]'));
      const files = new Set(params.all('file[]'));
      const group = rulesView(options.input());
      if (
        (groups.size > 0 && !groups.has(group.name)) ||
        (files.size > 0 && !files.has(group.file))
      ) {
        return apiSuccess(c, { groups: [] });
      }
      const rules = group.rules.filter(
        (r) =>
          (type !== 'alert' || r.type === 'alerting') &&
          (type !== 'record' || r.type === 'recording') &&
          (names.size === 0 || names.has(r.name)),
      );
      // Prometheus leaves out a group none of whose rules pass a filter.
      const filtered = type || names.size > 0;
      return apiSuccess(c, { groups: filtered && rules.length === 0 ? [] : [{ ...group, rules }] });
    })
    .get('/alerts', (c) => apiSuccess(c, { alerts: options.input().alerts.map(prometheusAlert) }));
}
