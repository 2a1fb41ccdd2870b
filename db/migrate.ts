import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import type { DbConnection, Dialect } from './client';

/** The committed drizzle-kit migrations of each dialect, resolved from this file (run from source, never bundled). */
export const MIGRATIONS_FOLDERS: Record<Dialect, string> = {
  sqlite: fileURLToPath(new URL('./migrations/sqlite', import.meta.url)),
  postgres: fileURLToPath(new URL('./migrations/postgres', import.meta.url)),
};

/** Applies pending migrations; a no-op when the database is current. Several instances starting at once apply them once. */
export async function migrateDatabase(db: DbConnection): Promise<void> {
  if (db.dialect === 'sqlite') {
    migrateSqlite(drizzleSqlite(db.sqlite), { migrationsFolder: MIGRATIONS_FOLDERS.sqlite });
    return;
  }
  // drizzle's PostgreSQL migrator does not lock: instances starting together take turns here.
  const client = await db.pool.connect();
  try {
    await client.query('select pg_advisory_lock(1095136375)');
    try {
      await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDERS.postgres });
    } finally {
      await client.query('select pg_advisory_unlock(1095136375)');
    }
  } finally {
    client.release();
  }
}
