import { sql } from 'drizzle-orm';
import type { Db } from '../client';

/** Whether the database answers a trivial query (throws when it does not). */
export function pingDatabase(db: Db): void {
  db.get(sql`select 1`);
}
