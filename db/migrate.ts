import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import type { DbConnection } from './client';

/** The committed drizzle-kit migrations, resolved from this file (run from source, never bundled). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies pending migrations; a no-op when the database is current. */
export function migrateDatabase(db: DbConnection): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
