/** `kpi-lights import openmetrics FILE`: backfills a data folder's sample store while no server holds it. */
import { join } from 'node:path';
import { errorMessage } from '../../shared/error-message.js';
import type { CliIo } from './cli-io.js';
import { type CliValues, parseRetention, UsageError } from './usage.js';

/**
 * Loads historical samples from an OpenMetrics file into `--data-dir`'s sample store and says
 * what it loaded; exit 1 with the reason for a bad file or a folder a server holds.
 *
 * @example
 * ```ts
 * await importCommand(['openmetrics', 'history.om'], { 'data-dir': 'data' }, io); // 0
 * ```
 */
export async function importCommand(
  args: readonly string[],
  values: CliValues,
  io: CliIo,
): Promise<number> {
  const [format, file, ...extra] = args;
  if (format !== 'openmetrics') {
    throw new UsageError(`import knows "openmetrics", got ${JSON.stringify(format ?? '')}`);
  }
  if (file === undefined) throw new UsageError('import openmetrics needs a FILE');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const retentionMs = parseRetention(values['storage.retention']);
  const dataDir = values['data-dir'] ?? 'data';
  // Loaded only here: the other commands need neither the parser nor the sample store.
  const { importOpenMetrics, ImportError } = await import('../backfill/import-openmetrics.js');
  const { StorageError } = await import('../store/disk/storage-error.js');
  const started = performance.now();
  try {
    const r = importOpenMetrics(file, {
      dataDir,
      ...(retentionMs !== undefined && { retentionMs }),
      log: (line) => io.err(`kpi-lights: ${line}`),
    });
    const span =
      r.firstMs === null || r.lastMs === null
        ? ''
        : ` from ${new Date(r.firstMs).toISOString()} to ${new Date(r.lastMs).toISOString()}`;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(
      `imported ${r.samples} samples of ${r.series} series${span} into ${join(dataDir, 'samples')} in ${seconds} s`,
    );
    if (r.tooOld > 0) io.out(`  ${r.tooOld} samples older than the retention skipped`);
    if (r.notAfterHeld > 0) {
      io.out(`  ${r.notAfterHeld} samples not after what the store held for their series skipped`);
    }
    return 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const told =
      err instanceof ImportError ||
      err instanceof StorageError ||
      code === 'ENOENT' ||
      code === 'EACCES' ||
      code === 'EISDIR';
    if (!told) throw err;
    io.err(`kpi-lights: import failed: ${errorMessage(err)}`);
    return 1;
  }
}
