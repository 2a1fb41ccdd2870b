import { getSharedDb, type DbConnection } from '../../db/client';
import { getConfig } from '../services/config';

/** The app's database connection (DATABASE_PATH), opened on first use. */
export function db(): DbConnection {
  return getSharedDb(getConfig().DATABASE_PATH);
}

// `npm run dev` does not go through the start script, so the dev server migrates on first load.
// (Statically false in the production build, which the start script migrates before it listens.)
if (import.meta.env.DEV) {
  const { migrateDatabase } = await import('../../db/migrate');
  migrateDatabase(db());
}
