import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RunResult } from 'better-sqlite3';
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

/** What queries need: a connection or a transaction on it (so queries compose inside transactions). */
export type Db = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;

/** An open connection, with the underlying better-sqlite3 handle for pragmas, backups and closing. */
export type DbConnection = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

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

/** SQLite's words for a failed write, with what an operator should check. */
const WRITE_FAILURES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'writing failed (is the disk full or a file size limit reached?)',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CANTOPEN: 'SQLite cannot open or create the file',
};

/**
 * The reason a database could not be opened or migrated, in one line: drizzle wraps SQLite's
 * error ("database or disk is full", "disk I/O error", …) in a message quoting the whole query.
 */
export function databaseErrorReason(error: unknown): string {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  const message = (deepest instanceof Error ? deepest.message : String(deepest)).replace(/\s*\n\s*/g, ' ').trim();
  // SQLite undoes a transaction by itself when a write fails (disk full, I/O error); drizzle's
  // migrator then reports only its own failed ROLLBACK, which hides that first error.
  if (/cannot rollback - no transaction is active/.test(message)) return `a write failed and SQLite undid it (is the disk full or a file size limit reached?)`;
  const code = (deepest as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return message;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DIRECTORY, …) share their family's hint.
  const hint = Object.entries(WRITE_FAILURES).find(([family]) => code === family || code.startsWith(`${family}_`))?.[1];
  return hint ? `${hint} (${message}, ${code})` : `${message} (${code})`;
}

/**
 * Opens the SQLite file (creating its folder) with the settings every connection needs.
 * This is the only place a better-sqlite3 handle is opened. Throws DatabasePathError for a
 * path that cannot hold a writable database.
 */
export function openDatabase(path: string): DbConnection {
  if (path !== ':memory:') prepareDatabasePath(path);
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; FULL sync makes every acknowledged comment
  // durable (a committed transaction survives kill -9 and power loss).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema }) as DbConnection;
}

let shared: DbConnection | undefined;

/** The process-wide connection to DATABASE_PATH, opened on first use. */
export function getSharedDb(path: string): DbConnection {
  shared ??= openDatabase(path);
  return shared;
}

/** Closes the process-wide connection (graceful shutdown). */
export function closeSharedDb(): void {
  shared?.$client.close();
  shared = undefined;
}
