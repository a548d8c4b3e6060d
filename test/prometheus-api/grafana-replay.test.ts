/** Grafana's Prometheus data source, replayed call by call against kpi-lights and a real Prometheus 2.42: same statuses, same shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasPrometheus,
  SIDE_READ_TOKEN,
  type SideBySide,
  startSideBySide,
} from '#test-support/side-by-side.js';
import { waitFor } from '#test-support/wait-for.js';
import { type GrafanaCall, grafanaCalls } from './grafana-calls.js';

const skip = !hasPrometheus();
if (skip) console.warn('skipping the Grafana replay: no prometheus on PATH');

/**
 * The shape of a JSON value: the type of each leaf, objects by their keys, arrays by the set of
 * their elements' shapes (empty arrays are a shape of their own).
 */
function shapeOf(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const shapes = [...new Set(v.map((x) => JSON.stringify(shapeOf(x))))].sort();
    return shapes.length === 0 ? 'empty array' : { array: shapes.map((x) => JSON.parse(x)) };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, shapeOf(o[k])]),
    );
  }
  return typeof v;
}

async function replay(base: string, call: GrafanaCall, token?: string) {
  const params = new URLSearchParams(call.params.map(([k, v]) => [k, v]));
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res =
    call.method === 'GET'
      ? await fetch(`${base}${call.path}${params.size > 0 ? `?${params}` : ''}`, { headers })
      : await fetch(`${base}${call.path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: params,
        });
  return {
    status: res.status,
    type: res.headers.get('content-type')?.split(';')[0],
    body: (await res.json()) as { status: string; data?: unknown; errorType?: string },
  };
}

describe.skipIf(skip)(
  "Grafana's Prometheus data source against kpi-lights and Prometheus 2.42",
  () => {
    let both: SideBySide;
    let calls: GrafanaCall[] = [];

    beforeAll(async () => {
      // Grafana sends the data source's bearer token; kpi-lights requires one here.
      both = await startSideBySide({ read: 'token' });
      // The panel's range ends on a 15 s step: wait for one where Prometheus, started after
      // kpi-lights, has two samples in the rate window too, so both answer data.
      await waitFor(
        async () => {
          calls = grafanaCalls(Date.now() - 1_000);
          const panel = calls.find((c) => c.path === '/api/v1/query_range');
          if (!panel) return false;
          const res = await replay(both.prometheus.url, panel);
          return ((res.body.data as { result?: unknown[] }).result?.length ?? 0) > 0;
        },
        { timeoutMs: 30_000, everyMs: 500 },
      );
    }, 120_000);
    afterAll(() => both?.close());

    it('answers every call with the status and body shape Prometheus answers', async () => {
      for (const call of calls) {
        const where = `${call.method} ${call.path} (${call.step})`;
        const [ours, theirs] = await Promise.all([
          replay(both.kpiUrl, call, SIDE_READ_TOKEN),
          replay(both.prometheus.url, call),
        ]);
        expect(ours.status, where).toBe(theirs.status);
        expect(ours.type, where).toBe('application/json');
        expect(ours.body.status, where).toBe(theirs.body.status);
        expect(ours.body.errorType, where).toBe(theirs.body.errorType);
        expect(shapeOf(ours.body), where).toEqual(shapeOf(theirs.body));
        if (call.sameData) expect(ours.body, where).toEqual(theirs.body);
      }
    });

    it('is a Prometheus 2.42 to Grafana, so it turns on the label match API and the rules view', async () => {
      const build = await replay(both.kpiUrl, calls[0], SIDE_READ_TOKEN);
      const data = build.body.data as { version: string; features?: unknown };
      // Grafana compares versions with semver; build metadata is ignored.
      expect(data.version).toMatch(/^2\.42\.0\+kpi-lights\./);
      // No features: Grafana's heuristics then call it Prometheus, not Mimir.
      expect(data.features).toBeUndefined();
      const rules = await replay(both.kpiUrl, calls[2], SIDE_READ_TOKEN);
      const group = (rules.body.data as { groups: { rules: { name: string; type: string }[] }[] })
        .groups[0];
      expect(group.rules.map((r) => `${r.type} ${r.name}`)).toEqual([
        'recording kpi_lights:queue_depth',
        'recording kpi_lights:error_ratio',
        'alerting ErrorRatioHigh',
      ]);
    });

    it('answers the status pages, targets and alerts in the shapes Prometheus does', async () => {
      for (const path of [
        '/api/v1/status/config',
        '/api/v1/status/flags',
        '/api/v1/status/runtimeinfo',
        '/api/v1/status/tsdb',
        '/api/v1/targets',
        '/api/v1/targets/metadata',
        '/api/v1/alerts',
        '/api/v1/alertmanagers',
      ]) {
        const call: GrafanaCall = { step: path, method: 'GET', path, params: [] };
        const [ours, theirs] = await Promise.all([
          replay(both.kpiUrl, call, SIDE_READ_TOKEN),
          replay(both.prometheus.url, call),
        ]);
        expect(ours.status, path).toBe(theirs.status);
        // Flags are a map of names to strings on both; kpi-lights has fewer names.
        const shape = (body: { data?: unknown }) =>
          path.endsWith('/flags')
            ? Object.values(body.data as object).every((v) => typeof v === 'string')
            : shapeOf(body);
        expect(shape(ours.body), path).toEqual(shape(theirs.body));
      }
    });

    it('refuses the calls without the token, in the envelope Grafana reads', async () => {
      const res = await replay(both.kpiUrl, calls[0]);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        status: 'error',
        errorType: 'unauthorized',
        error: 'this request needs a bearer token with the "read" scope',
      });
    });
  },
);
