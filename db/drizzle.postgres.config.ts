import { defineConfig } from 'drizzle-kit';

// The same tables for PostgreSQL (db/schema/postgres.ts); generated beside the SQLite migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/postgres.ts',
  out: './db/migrations/postgres',
});
