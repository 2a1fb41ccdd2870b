import { getSharedDb, type DbConnection } from '../../db/client';
import { getConfig } from './config';

/** The app's database connection (DATABASE_PATH), opened on first use. */
export function db(): DbConnection {
  return getSharedDb(getConfig().DATABASE_PATH);
}
