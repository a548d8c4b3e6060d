/** Browser tests of the web components: @web/test-runner in the system's headless Chromium. */
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
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
};
