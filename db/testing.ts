import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type DbConnection } from './client';
import { openPostgres, withPostgresClient } from './postgres';
import { migrateDatabase, MIGRATIONS_FOLDERS } from './migrate';
import { continueIdsAfterExplicitOnes } from './queries/rows';

/**
 * Databases for query and service tests. By default an in-memory SQLite database; with
 * TEST_DATABASE_URL=postgres://…/postgres (a server where this role may create databases),
 * a fresh PostgreSQL database per call, copied from a migrated template, so the same tests
 * prove both dialects (`npm run test:unit:postgres`).
 */
const serverUrl = process.env.TEST_DATABASE_URL;

/** The dialect the tests of this process run on. */
export const testDialect = serverUrl ? 'postgres' : 'sqlite';

let template: Promise<string> | undefined;
const urls = new WeakMap<DbConnection, string>();
let created = 0;

function databaseUrl(name: string): string {
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPostgresClient(serverUrl!, work);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A migrated template named after the migrations it holds (a new migration makes a new one); stale test databases are dropped. */
async function migratedTemplate(): Promise<string> {
  const journal = readFileSync(join(MIGRATIONS_FOLDERS.postgres, 'meta', '_journal.json'));
  const name = `afterword_template_${createHash('sha256').update(journal).digest('hex').slice(0, 12)}`;
  await onServer(async (client) => {
    // Test processes run side by side: one makes the template, the others wait for it.
    await client.query('select pg_advisory_lock(1095136376)');
    try {
      const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'afterword_t%'");
      for (const { datname } of rows) {
        const owner = /^afterword_test_(\d+)_\d+$/.exec(datname);
        const staleTemplate = datname.startsWith('afterword_template_') && datname !== name;
        if ((owner && !isRunning(Number(owner[1]))) || staleTemplate) {
          if (staleTemplate) await client.query(`alter database "${datname}" is_template false`);
          await client.query(`drop database if exists "${datname}" with (force)`);
        }
      }
      if (rows.some((r) => r.datname === name)) return;
      await client.query(`create database "${name}"`);
      const db = openPostgres(databaseUrl(name), { max: 1 });
      try {
        await migrateDatabase(db);
      } finally {
        await db.close();
      }
      await client.query(`alter database "${name}" is_template true`);
    } finally {
      await client.query('select pg_advisory_unlock(1095136376)');
    }
  });
  return name;
}

/** A database with the real migrations applied and nothing else, for query and service tests. */
export async function createTestDb(): Promise<DbConnection> {
  if (!serverUrl) {
    const db = await openDatabase(':memory:');
    await migrateDatabase(db);
    return db;
  }
  template ??= migratedTemplate();
  const name = `afterword_test_${process.pid}_${++created}`;
  const from = await template;
  await onServer((client) => client.query(`create database "${name}" template "${from}"`));
  // The pool lets the test process exit while connections are idle; the database is dropped by a later run.
  const db = openPostgres(databaseUrl(name), { max: 4, allowExitOnIdle: true });
  urls.set(db, databaseUrl(name));
  return db;
}

/**
 * The better-sqlite3 handle of a test database, for the few tests that check SQLite itself
 * (query plans, triggers that make a write fail). On PostgreSQL those tests are skipped with
 * `{ skip: sqliteOnly }`.
 */
export function sqliteOf(db: DbConnection): Database.Database {
  if (db.dialect !== 'sqlite') throw new Error('this test inspects SQLite itself');
  return db.sqlite;
}

/** The skip reason for tests that need `sqliteOf` (false on SQLite: they run). */
export const sqliteOnly = testDialect === 'sqlite' ? false : 'checks SQLite itself';

/** Runs `step` for each item, one after another (ids then follow the items' order on both dialects). */
export async function inOrder<T, R>(items: Iterable<T>, step: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let index = 0;
  for (const item of items) results.push(await step(item, index++));
  return results;
}

/** Moderators 1, 2, … with these emails and names (tests refer to them by id). */
export async function addTestModerators(db: DbConnection, ...people: [email: string, name: string][]): Promise<void> {
  const { moderators } = db.tables;
  await db.orm.insert(moderators).values(people.map(([email, name], i) => ({ id: i + 1, email, name, passwordHash: 'x', createdAt: new Date(0) })));
  await continueIdsAfterExplicitOnes(db, 'moderators');
}

/**
 * Rows of hand-written SQL as SQLite gives them, on either dialect: times (`…_at` columns) as
 * epoch milliseconds (drizzle has PostgreSQL's driver hand them over as text), so tests compare
 * raw rows the same way on both.
 */
export async function selectRows(db: DbConnection, query: SQL): Promise<Record<string, unknown>[]> {
  const rows = await db.execute(query);
  const asMillis = (key: string, value: unknown) => (key.endsWith('_at') && typeof value === 'string' ? Date.parse(value) : value);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, asMillis(key, value)])));
}

/**
 * Another instance's connection to the same test database: on PostgreSQL a pool of its own (its
 * queries really race this one's); on SQLite the same connection, as one process has one.
 */
export function anotherInstance(db: DbConnection): DbConnection {
  const url = urls.get(db);
  return url ? openPostgres(url, { max: 2, allowExitOnIdle: true }) : db;
}
