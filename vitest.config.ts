/** Vitest config: the build's resolution and plugins from vite.config.ts, and how the suite runs. */
import { availableParallelism } from 'node:os';
import { defineConfig, mergeConfig } from 'vitest/config';
import { SystemTestsFirst } from './test/setup/system-tests-first.js';
import viteConfig from './vite.config.js';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // The components' tests run in a real browser under @web/test-runner.
      exclude: ['src/components/**', '**/node_modules/**'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 30_000,
      pool: 'forks',
      // A worker keeps the modules it has loaded from one file to the next instead of importing
      // them again for each: 302 CPU-seconds instead of 417, 4 files at a time on two cores.
      isolate: false,
      // Most files start servers, browsers or binaries and spend their time waiting on them, so
      // one more runs than there are cores: on two cores 3 at a time took 174 s, 4 as long with
      // more CPU (2 at a time, loading modules again for each file, took 297 s; one, 9 min).
      maxWorkers: availableParallelism() + 1,
      sequence: { sequencer: SystemTestsFirst },
      setupFiles: ['test/setup/fast-check-seed.ts'],
      globalSetup: ['test/setup/shared-pack.ts'],
    },
  }),
);
