import { defineConfig } from 'drizzle-kit';

// drizzle-kit runs outside Astro; it only generates SQL from the schema, never touches data.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema/sqlite.ts',
  out: './db/migrations/sqlite',
});
