/** Takes `docs/demo-page.png`: the demo page in headless Chromium with errors injected, so one light is red. */
import { fileURLToPath } from 'node:url';
import { launchChromium } from '#test-support/chromium.js';
import { startDemoStack } from '#test-support/demo-stack.js';

const out = fileURLToPath(new URL('../docs/demo-page.png', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [browser, demo] = await Promise.all([launchChromium(), startDemoStack()]);
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 1000, deviceScaleFactor: 1 });
  await page.goto(demo.pageUrl);
  // The short test windows fill in seconds; a minute of chart shows healthy time, then the breach.
  await page.evaluate(() => document.querySelector('latency-chart')?.setAttribute('range', '1m'));
  await sleep(20_000);
  await demo.setKnobs({ errorRate: 0.12 });
  await page.waitForFunction(
    () =>
      document
        .querySelector('td kpi-light[kpi="efile-error-rate"]')
        ?.shadowRoot?.querySelector('[part~="status"]')
        ?.textContent?.trim() === 'Critical',
    { timeout: 15_000 },
  );
  await sleep(6_000);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await demo.close();
}
