import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RunResult } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';

/** What queries need: a connection or a transaction on it (so queries compose inside transactions). */
export type Db = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;

/** An open connection, with the underlying better-sqlite3 handle for pragmas, backups and closing. */
export type DbConnection = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens the SQLite file (creating its folder) with the settings every connection needs.
 * This is the only place a better-sqlite3 handle is opened.
 */
export function openDatabase(path: string): DbConnection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
