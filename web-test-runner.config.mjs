/** Browser tests of the web components: @web/test-runner in the system's headless Chromium, and Firefox ESR where it can run. */
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

/** Test tools cannot download a browser here, so use the one the system has. */
function chromiumPath() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error('No Chromium found: install it or set CHROME_PATH');
  return found;
}

/** The system's Firefox (Debian's `firefox-esr`), or `FIREFOX_PATH`. */
function firefoxPath() {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((path) => path && existsSync(path));
}

/**
 * Two Firefox launchers, one started light and one dark, through `@web/test-runner-puppeteer`
 * (WebDriver BiDi), when that package and a Firefox are installed; none otherwise, with a
 * notice. Two, because BiDi cannot switch `prefers-color-scheme` yet: each test file then runs
 * in the scheme its Firefox started in (see `light-dark.fixture.ts`).
 *
 * @param {{ puppeteerLauncher: Function } | undefined} launcher the package's module, if installed
 */
export function firefoxLaunchers(launcher) {
  const executablePath = firefoxPath();
  if (!launcher || !executablePath) {
    console.warn(
      `Firefox tests skipped: ${launcher ? 'no Firefox (install firefox-esr or set FIREFOX_PATH)' : '@web/test-runner-puppeteer is not installed'}`,
    );
    return [];
  }
  // layout.css.prefers-color-scheme.content-override: 0 dark, 1 light.
  return [1, 0].map((override) =>
    launcher.puppeteerLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath,
        headless: true,
        extraPrefsFirefox: { 'layout.css.prefers-color-scheme.content-override': override },
      },
    }),
  );
}

const puppeteerModule = await import('@web/test-runner-puppeteer').catch(() => undefined);

export default {
  files: ['src/components/**/*.test.ts'],
  // Lit's production build, as pages get it: no dev-mode warnings, the same code paths.
  nodeResolve: { exportConditions: ['production'] },
  // The tsconfig's legacy decorators and `useDefineForClassFields: false` are what Lit's
  // decorators need; esbuild follows them only when given the tsconfig.
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      },
    }),
    ...firefoxLaunchers(puppeteerModule),
  ],
  browserStartTimeout: 60_000,
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
};
