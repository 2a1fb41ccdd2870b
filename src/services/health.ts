import type { Db } from '../../db/client';
import { pingDatabase } from '../../db/queries/health';

/** Whether the database answers, for load balancers and monitors. */
export async function isDatabaseAvailable(db: Db): Promise<boolean> {
  try {
    await pingDatabase(db);
    return true;
  } catch {
    return false;
  }
}
