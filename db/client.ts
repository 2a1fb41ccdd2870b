import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens the SQLite file (creating its folder) with the settings every connection needs.
 * This is the only place a better-sqlite3 handle is opened.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; FULL sync makes every acknowledged comment
  // durable (a committed transaction survives kill -9 and power loss).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema }) as Db;
}

let shared: Db | undefined;

/** The process-wide connection to DATABASE_PATH, opened on first use. */
export function getSharedDb(path: string): Db {
  shared ??= openDatabase(path);
  return shared;
}

/** Closes the process-wide connection (graceful shutdown). */
export function closeSharedDb(): void {
  shared?.$client.close();
  shared = undefined;
}
