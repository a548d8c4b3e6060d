/** The SDK's alert reads against a real server on 127.0.0.1: `alerts()`, `silences()`, and `alert` events in `watch`. */
import { afterEach, describe, expect, it } from 'vitest';
import { createKpiAppFixture, type KpiAppFixture } from '#test-support/kpi-app-fixture.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { alertInfo, StubAlerting } from '#test-support/stub-alerting.js';
import { createClient, type WatchEvent } from '../../src/sdk/index.js';

let f: KpiAppFixture | undefined;
let local: LocalServer | undefined;
afterEach(async () => {
  await local?.close();
  await f?.close();
  f = local = undefined;
});

async function serve(alerting: StubAlerting): Promise<string> {
  f = createKpiAppFixture({ alerting });
  f.server.start();
  local = await serveLocal(f.server.app);
  return local.url;
}

describe('the SDK reads alerts and silences', () => {
  it('alerts() and silences() answer what the server holds', async () => {
    const alerting = new StubAlerting();
    alerting.alerts = [alertInfo()];
    const client = createClient({ baseUrl: await serve(alerting) });
    const silence = alerting.silences.add({
      matchers: [{ name: 'kpi', value: 'efile-error-rate', isRegex: false }],
      endsAt: '2099-01-01T00:00:00Z',
      createdBy: 'jane',
      comment: 'deploy',
    });
    expect(await client.alerts()).toEqual([alertInfo()]);
    expect(await client.silences()).toEqual([silence]);
  });

  it('watch yields the snapshot with its alerts, then each alert change', async () => {
    const alerting = new StubAlerting();
    alerting.alerts = [alertInfo({ state: 'pending', firedAt: undefined })];
    const client = createClient({ baseUrl: await serve(alerting) });
    const seen: WatchEvent[] = [];
    for await (const event of client.watch()) {
      seen.push(event);
      if (event.type === 'snapshot') alerting.emit(alertInfo());
      if (event.type === 'alert') break;
    }
    expect(seen.map((e) => e.type)).toEqual(['snapshot', 'alert']);
    expect(seen[0]).toMatchObject({ data: { alerts: [{ state: 'pending' }] } });
    expect(seen[1]).toMatchObject({ data: { id: 'a1', state: 'firing' } });
  });
});
