/** The server's handle on its SQLite file: typed prepared statements and nestable transactions over `node:sqlite`. */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

/** What a statement binds: values by position, or one object of named values (`@name`) first. */
export type SqlParameters = SQLInputValue[] | [Record<string, SQLInputValue>, ...SQLInputValue[]];

/** A prepared statement whose parameters and rows have the types its SQL gives them. */
export interface Statement<P extends unknown[] = SqlParameters, R = unknown> {
  /** Runs it; answers how many rows changed and the last inserted row id. */
  run(...params: P): { readonly changes: number; readonly lastInsertRowid: number };
  /** The first row, or undefined when there is none. */
  get(...params: P): R | undefined;
  /** Every row. */
  all(...params: P): R[];
}

/**
 * An open database; its tables (KPI history, policy versions, alerts) each sit over this one
 * handle. Made by `openDatabase`. Integers come back as numbers: no column holds one past
 * 2^53, and reading one would throw rather than round.
 *
 * @example
 * ```ts
 * const insert = db.prepare<[string, number]>('INSERT INTO t (k, v) VALUES (?, ?)');
 * db.transaction(() => {
 *   insert.run('a', 1);
 *   insert.run('b', 2);
 * })();
 * ```
 */
export class ServerDatabase {
  readonly #db: DatabaseSync;
  #savepoints = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Whether the database is still open. */
  get open(): boolean {
    return this.#db.isOpen;
  }

  /** Compiles one SQL statement; `P` and `R` are the caller's word for its parameters and rows. */
  prepare<P extends unknown[] = SqlParameters, R = unknown>(sql: string): Statement<P, R> {
    // Sound as long as P only names SQL values, which `SqlParameters` is the default for.
    return this.#db.prepare(sql) as unknown as Statement<P, R>;
  }

  /**
   * {@link prepare} for statements that read many rows: each row comes back as an array in
   * column order, which node:sqlite builds faster than an object (a fifth faster on a page
   * of 1 000 history rows, `npm run bench -- db`).
   *
   * @example
   * ```ts
   * const page = db.prepareTuples<[number], [string, number]>('SELECT k, v FROM t LIMIT ?');
   * for (const [k, v] of page.all(1000)) console.log(k, v);
   * ```
   */
  prepareTuples<P extends unknown[] = SqlParameters, R extends readonly unknown[] = unknown[]>(
    sql: string,
  ): Statement<P, R> {
    const statement = this.#db.prepare(sql);
    statement.setReturnArrays(true);
    return statement as unknown as Statement<P, R>;
  }

  /** Runs SQL text of one or more statements, with no parameters and no rows back. */
  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /**
   * Wraps `work` so that each call runs in one transaction: committed when it returns, rolled
   * back when it throws (and the error passed on). A call inside another transaction runs in
   * a savepoint of it, so stores can be composed. `work` must be synchronous: a promise would
   * let other writes into the transaction.
   */
  transaction<A extends unknown[], T>(work: (...args: A) => T): (...args: A) => T {
    return (...args: A): T => {
      const outer = !this.#db.isTransaction;
      const savepoint = `kpi_lights_${this.#savepoints++}`;
      this.#db.exec(outer ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
      try {
        const result = work(...args);
        if (result instanceof Promise) {
          throw new TypeError(
            'a transaction cannot wait for a promise: its work must be synchronous',
          );
        }
        this.#db.exec(outer ? 'COMMIT' : `RELEASE ${savepoint}`);
        return result;
      } catch (err) {
        // SQLite may have rolled back already (a full disk, say); then there is nothing to undo.
        if (this.#db.isTransaction) {
          this.#db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        }
        throw err;
      } finally {
        this.#savepoints--;
      }
    };
  }

  /** Closes the database; closing a closed one does nothing, so shutdown steps can repeat. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
