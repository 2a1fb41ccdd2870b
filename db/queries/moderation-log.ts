import { desc, eq, sql, count } from 'drizzle-orm';
import type { moderationLog } from '../schema/sqlite';
import type { Db } from '../client';

export type ModerationLogRow = typeof moderationLog.$inferSelect;
export type NewModerationLogRow = typeof moderationLog.$inferInsert;

/** Records one moderation action; returns its id. */
export async function insertModerationLog(db: Db, row: NewModerationLogRow): Promise<number> {
  const { moderationLog } = db.tables;
  return db.orm.insert(moderationLog).values(row).returning({ id: moderationLog.id }).then((rows) => rows[0]!.id);
}

/** Records several actions at once (bulk actions); call inside the action's transaction. */
export async function insertModerationLogEntries(db: Db, rows: NewModerationLogRow[]): Promise<void> {
  const { moderationLog } = db.tables;
  if (!rows.length) return;
  await db.orm.insert(moderationLog).values(rows);
}

export interface ModerationLogFilter {
  /** Only the entries about this comment. */
  commentId?: number;
  limit?: number;
  offset?: number;
}

/** Log entries, newest first (ties in time by insertion order, newest first). */
export async function listModerationLog(db: Db, { commentId, limit = 50, offset = 0 }: ModerationLogFilter = {}): Promise<ModerationLogRow[]> {
  const { moderationLog } = db.tables;
  return db
    .orm.select()
    .from(moderationLog)
    .where(commentId === undefined ? undefined : eq(moderationLog.commentId, commentId))
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(limit)
    .offset(offset)
    ;
}

/** How many entries there are (for pagination), optionally about one comment. */
export async function countModerationLog(db: Db, { commentId }: Pick<ModerationLogFilter, 'commentId'> = {}): Promise<number> {
  const { moderationLog } = db.tables;
  return (
    await db
      .orm.select({ count: count() })
      .from(moderationLog)
      .where(commentId === undefined ? undefined : eq(moderationLog.commentId, commentId))
      .then((rows) => rows[0]?.count ?? 0)
  );
}
