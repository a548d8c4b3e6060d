/** Headless Chromium for end-to-end tests and benchmarks: the system's browser, driven by puppeteer-core. */
import { existsSync } from 'node:fs';
// puppeteer-core comes with @web/test-runner-chrome (a dev dependency); test tools may not
// download a browser here, so it drives the system's.
import puppeteer, { type Browser } from 'puppeteer-core';

/** The system Chromium: `CHROME_PATH`, else the usual paths; `undefined` when there is none. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/**
 * Launches headless Chromium with the flags a container needs.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await browser.close();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined)
    throw new Error('No Chromium found: install it or set CHROME_PATH');
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
