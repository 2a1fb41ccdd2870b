import type { Db } from '../../db/client';
import { pingDatabase } from '../../db/queries/health';

/** Whether the database answers, for load balancers and monitors. */
export function isDatabaseAvailable(db: Db): boolean {
  try {
    pingDatabase(db);
    return true;
  } catch {
    return false;
  }
}
