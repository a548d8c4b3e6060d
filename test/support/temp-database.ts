/** A fresh KPI database in a temporary folder for each test, closed and removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type ServerDatabase } from '../../src/server/database/index.js';

/** The current test's folder and open database; valid inside tests and later hooks. */
export interface TempDatabase {
  dir: string;
  db: ServerDatabase;
}

/**
 * Registers hooks that open a database under a new temporary folder before each test and close
 * and delete it after. Hooks registered later in the file run after it opens.
 *
 * @example
 * ```ts
 * const temp = useTempDatabase('kpi-budget-');
 * beforeEach(() => { history = new KpiHistoryStore(temp.db); });
 * ```
 */
export function useTempDatabase(prefix: string): TempDatabase {
  const temp = {} as TempDatabase;
  beforeEach(() => {
    temp.dir = mkdtempSync(join(tmpdir(), prefix));
    temp.db = openDatabase(temp.dir);
  });
  afterEach(() => {
    if (temp.db.open) temp.db.close();
    rmSync(temp.dir, { recursive: true, force: true });
  });
  return temp;
}
