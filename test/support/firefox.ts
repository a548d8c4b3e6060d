/** Headless Firefox (Debian's firefox-esr) for end-to-end tests, driven by puppeteer-core over WebDriver BiDi. */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** The system Firefox: `FIREFOX_PATH`, else the usual paths; `undefined` when there is none. */
export function firefoxPath(): string | undefined {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/**
 * Launches headless Firefox in a colour scheme. BiDi cannot switch `prefers-color-scheme` on a
 * page yet, so the scheme is a preference of the whole browser.
 *
 * @example
 * ```ts
 * const browser = await launchFirefox({ scheme: 'dark' });
 * await browser.close();
 * ```
 */
export async function launchFirefox(options: { scheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const executablePath = firefoxPath();
  if (executablePath === undefined) {
    throw new Error('No Firefox found: install firefox-esr or set FIREFOX_PATH');
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      // 0 dark, 1 light.
      'layout.css.prefers-color-scheme.content-override': options.scheme === 'dark' ? 0 : 1,
    },
  });
}
