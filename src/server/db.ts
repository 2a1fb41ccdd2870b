import { getSharedDb, type Db } from '../../db/client';
import { getConfig } from './config';

/** The app's database connection (DATABASE_PATH), opened on first use. */
export function db(): Db {
  return getSharedDb(getConfig().DATABASE_PATH);
}
