/** The order test files start in: system tests first when no earlier run has timed the files. */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Where a file's tests live says what they cost: `test/` starts servers, browsers and binaries. */
const rank = (spec: TestSpecification, root: string) =>
  relative(root, spec.moduleId).startsWith('test/') ? 0 : 1;

/**
 * Vitest runs the files it has timed longest first, so the slowest do not start last and hold
 * the run open alone. A fresh clone has no timings, and vitest then goes by file size, which
 * starts large unit files that take milliseconds ahead of the system tests that take tens of
 * seconds. This keeps vitest's order when it has timings and otherwise starts `test/` first,
 * larger files first within each folder.
 *
 * @example
 * ```ts
 * defineConfig({ test: { sequence: { sequencer: SystemTestsFirst } } });
 * ```
 */
export class SystemTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const timed = sorted.some((spec) =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`),
    );
    // Array sort is stable: within each rank, vitest's own order (by size) stays.
    return timed ? sorted : sorted.sort((a, b) => rank(a, root) - rank(b, root));
  }
}
