import type Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import type { SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import type pg from 'pg';
import { openPostgres } from './postgres';
import type * as sqliteTables from './schema/sqlite';
import { openSqlite } from './sqlite';

export { DatabasePathError, prepareDatabasePath } from './sqlite';

/**
 * The one database module. Afterword runs on SQLite (a file, the default) or PostgreSQL
 * (DATABASE_URL=postgres://…, for several instances sharing one database). Queries in
 * db/queries are written once against the API both dialects share, through a `Db`.
 */

export type Dialect = 'sqlite' | 'postgres';

/** The tables, typed as their SQLite definitions (db/schema/postgres.ts mirrors them column for column). */
export type Tables = typeof sqliteTables;

/**
 * The query builder queries use: drizzle's asynchronous SQLite API. On PostgreSQL it is drizzle's
 * node-postgres database, whose builders have the same shape for what queries use: select,
 * insert … returning, update, delete, joins, onConflict…, each awaited. Never call the
 * SQLite-only `.get()`, `.all()`, `.run()` or `.prepare()` (a unit test checks db/queries).
 */
export type Orm = SqliteRemoteDatabase<Tables>;

export interface TransactionOptions {
  /** Reads only, from one consistent snapshot (an export); does not wait for writers. */
  readOnly?: boolean;
}

/** What queries need: a connection, or a transaction on it (so queries compose inside transactions). */
export interface Db {
  readonly dialect: Dialect;
  readonly orm: Orm;
  readonly tables: Tables;
  /**
   * Runs `work` atomically: all of it commits or none. Write transactions run one at a time,
   * as SQLite runs them (on PostgreSQL an advisory lock shared by every instance), so a check
   * and the write it allows (flood + duplicate + insert) cannot interleave with another's.
   * Called inside a transaction, it nests (a savepoint).
   */
  transaction<T>(work: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs hand-written SQL (written for both dialects) and returns its rows as objects: checks, tests, copies. */
  execute(query: SQL): Promise<Record<string, unknown>[]>;
}

/** An open connection: a `Db` and what only the connection's owner does with it. */
export type DbConnection =
  | (Db & { readonly dialect: 'sqlite'; readonly sqlite: Database.Database; close(): Promise<void> })
  | (Db & { readonly dialect: 'postgres'; readonly pool: pg.Pool; close(): Promise<void> });

/** Thrown inside a transaction to undo it on purpose (an import's dry run); callers catch it. */
export class DryRunRollback extends Error {}

/** Whether DATABASE_URL names a PostgreSQL database (anything else is a SQLite file path). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the database at `location`: a postgres:// URL, or a SQLite file path (its folder is
 * created). Throws DatabasePathError for a path that cannot hold a writable SQLite database.
 */
export async function openDatabase(location: string): Promise<DbConnection> {
  return isPostgresUrl(location) ? openPostgres(location) : openSqlite(location);
}

/** SQLite's words for a failed write, with what an operator should check. */
const WRITE_FAILURES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'writing failed (is the disk full or a file size limit reached?)',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CANTOPEN: 'SQLite cannot open or create the file',
};

/** PostgreSQL's and the network's words, with what an operator should check. */
const POSTGRES_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'nothing answers at that address (is PostgreSQL running?)',
  ENOTFOUND: 'the host name is unknown',
  '3D000': 'the database does not exist (createdb it first)',
  '28P01': 'the password was refused',
  '28000': 'the role may not connect',
  '53100': 'the disk is full',
};

/**
 * The reason a database could not be opened or migrated, in one line: drizzle wraps the
 * driver's error ("database or disk is full", "connect ECONNREFUSED", …) in a message quoting
 * the whole query.
 */
export function databaseErrorReason(error: unknown): string {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  if (deepest instanceof AggregateError && deepest.errors[0] instanceof Error) deepest = deepest.errors[0];
  const message = (deepest instanceof Error ? deepest.message : String(deepest)).replace(/\s*\n\s*/g, ' ').trim();
  // SQLite undoes a transaction by itself when a write fails (disk full, I/O error); drizzle's
  // migrator then reports only its own failed ROLLBACK, which hides that first error.
  if (/cannot rollback - no transaction is active/.test(message)) return `a write failed and SQLite undid it (is the disk full or a file size limit reached?)`;
  const code = (deepest as { code?: unknown }).code;
  if (typeof code !== 'string') return message;
  if (POSTGRES_FAILURES[code]) return `${POSTGRES_FAILURES[code]} (${message || code})`;
  if (!code.startsWith('SQLITE_')) return message;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DIRECTORY, …) share their family's hint.
  const hint = Object.entries(WRITE_FAILURES).find(([family]) => code === family || code.startsWith(`${family}_`))?.[1];
  return hint ? `${hint} (${message}, ${code})` : `${message} (${code})`;
}
