import Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Db, DbConnection, Orm, TransactionOptions } from './client';
import { transactionContext } from './transaction-context';

export type SqliteConnection = Extract<DbConnection, { dialect: 'sqlite' }>;
import * as tables from './schema/sqlite';

/** A database path that cannot hold the database; the message is the reason, in a few words. */
export class DatabasePathError extends Error {}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    // ENOTDIR: a parent is a file; the walk up reaches it and names it.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw new DatabasePathError(`cannot inspect ${path} (${(error as Error).message})`);
  }
}

/**
 * Read-only for this process. A file or folder with no write permission bit at all counts as
 * read-only even for root (who could write it anyway): the operator meant it to stay unchanged.
 */
function isReadOnly(path: string, stats: Stats): boolean {
  if ((stats.mode & 0o222) === 0) return true;
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * Creates the folder one level at a time. Node 20's `mkdirSync(…, { recursive: true })` never
 * returns for a path under /proc (it retries ENOENT forever), so it is not used here.
 */
function createFolder(folder: string): void {
  const missing: string[] = [];
  let existing = folder;
  for (let stats = statOrUndefined(existing); !stats; stats = statOrUndefined(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) throw new DatabasePathError(`${existing} is a file, not a folder`);
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      throw new DatabasePathError(`cannot create the folder ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
}

/**
 * Checks that `path` can hold a writable SQLite database (creating its folder), so that a bad
 * DATABASE_PATH stops the start with a reason instead of hanging or failing on the first write.
 * Throws DatabasePathError.
 */
export function prepareDatabasePath(path: string): void {
  const file = resolve(path);
  const folder = dirname(file);
  createFolder(folder);
  const folderStats = statSync(folder);
  // SQLite creates its -wal and -shm files beside the database.
  if (isReadOnly(folder, folderStats)) throw new DatabasePathError(`the folder ${folder} is read-only`);
  const stats = statOrUndefined(file);
  if (!stats) return;
  if (stats.isDirectory()) throw new DatabasePathError(`${file} is a folder, not a database file`);
  if (!stats.isFile()) throw new DatabasePathError(`${file} is not a regular file`);
  if (isReadOnly(file, stats)) throw new DatabasePathError(`${file} is read-only`);
}

type Method = 'run' | 'all' | 'values' | 'get';

const sqlDialect = new SQLiteSyncDialect();

/** Prepared statements kept per SQL text; queries with variable IN lists make new texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The one better-sqlite3 handle of a connection, run behind drizzle's asynchronous SQLite API.
 * better-sqlite3 answers synchronously, but a transaction whose work awaits lets other
 * requests' queries run in between, on the same handle, inside the open transaction. So while
 * a transaction is open, only queries from inside it run; the rest wait for it to end (as
 * they would wait for SQLite's write lock), and transactions take turns.
 */
class SqliteHandle {
  private readonly statements = new Map<string, Database.Statement>();
  /** The open transaction's scope (queries run from it pass); undefined when none is open. */
  private holder: TransactionScope | undefined;
  private waiters: (() => void)[] = [];
  readonly scope = transactionContext<TransactionScope>();

  constructor(readonly sqlite: Database.Database) {}

  readonly execute = async (text: string, params: unknown[], method: Method): Promise<{ rows: unknown[] }> => {
    await this.ourTurn();
    const statement = this.prepare(text);
    if (!statement.reader) {
      statement.run(...params);
      return { rows: [] };
    }
    statement.raw(true);
    if (method === 'get') return { rows: statement.get(...params) as unknown[] };
    return { rows: statement.all(...params) };
  };

  /** Hand-written SQL, rows as objects (column names as keys), behind the same transaction turn as every query. */
  async rows(query: SQL): Promise<Record<string, unknown>[]> {
    await this.ourTurn();
    const { sql: text, params } = sqlDialect.sqlToQuery(query);
    const statement = this.prepare(text);
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.raw(false).all(...params) as Record<string, unknown>[];
  }

  private prepare(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.sqlite.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Waits while a transaction other than the caller's is open. */
  private async ourTurn(): Promise<void> {
    while (this.holder && this.scope.current() !== this.holder) await this.turn();
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async acquire(scope: TransactionScope): Promise<void> {
    while (this.holder) await this.turn();
    this.holder = scope;
  }

  release(): void {
    this.holder = undefined;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

interface TransactionScope {
  db?: Db;
}

function sqliteDb(handle: SqliteHandle, orm: Orm, inTransaction: boolean): Db {
  const db: Db = {
    dialect: 'sqlite',
    orm,
    tables,
    execute: (query) => handle.rows(query),
    async transaction<T>(work: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (inTransaction) return orm.transaction((savepoint) => work(sqliteDb(handle, savepoint as unknown as Orm, true)));
      // Called on the connection from inside an open transaction: nest in it rather than wait for it forever.
      const open = handle.scope.current();
      if (open?.db) return open.db.transaction(work, options);
      const scope: TransactionScope = {};
      await handle.acquire(scope);
      try {
        return await handle.scope.run(scope, () =>
          orm.transaction((tx) => work((scope.db = sqliteDb(handle, tx as unknown as Orm, true))), {
            // IMMEDIATE takes the write lock at once: a read-then-write never fails on a lock upgrade.
            behavior: options.readOnly ? 'deferred' : 'immediate',
          }),
        );
      } finally {
        handle.release();
      }
    },
  };
  return db;
}

/**
 * Opens the SQLite file (creating its folder) with the settings every connection needs.
 * This is the only place a better-sqlite3 handle is opened. Throws DatabasePathError for a
 * path that cannot hold a writable database.
 */
export function openSqlite(path: string): SqliteConnection {
  if (path !== ':memory:') prepareDatabasePath(path);
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; FULL sync makes every acknowledged comment
  // durable (a committed transaction survives kill -9 and power loss).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const handle = new SqliteHandle(sqlite);
  const orm = drizzle(handle.execute, { schema: tables }) as Orm;
  return Object.assign(sqliteDb(handle, orm, false), {
    dialect: 'sqlite' as const,
    sqlite,
    async close() {
      sqlite.close();
    },
  });
}
