import type { Db } from '../../db/client';
import { countModerationLog, listModerationLog, type ModerationLogRow } from '../../db/queries/moderation-log';

export type { ModerationLogRow };

/** One page of the moderation log, newest first, and how many pages there are. */
export async function loadModerationLogPage(db: Db, page: number, pageSize: number): Promise<{ entries: ModerationLogRow[]; pageCount: number }> {
  return {
    entries: await listModerationLog(db, { limit: pageSize, offset: (page - 1) * pageSize }),
    pageCount: Math.max(1, Math.ceil(await countModerationLog(db) / pageSize)),
  };
}
