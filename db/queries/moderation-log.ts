import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { moderationLog } from '../schema';

export type ModerationLogRow = typeof moderationLog.$inferSelect;
export type NewModerationLogRow = typeof moderationLog.$inferInsert;

/** Records one moderation action; returns its id. */
export function insertModerationLog(db: Db, row: NewModerationLogRow): number {
  return db.insert(moderationLog).values(row).returning({ id: moderationLog.id }).get().id;
}

/** Records several actions at once (bulk actions); call inside the action's transaction. */
export function insertModerationLogEntries(db: Db, rows: NewModerationLogRow[]): void {
  if (!rows.length) return;
  db.insert(moderationLog).values(rows).run();
}

export interface ModerationLogFilter {
  /** Only the entries about this comment. */
  commentId?: number;
  limit?: number;
  offset?: number;
}

/** Log entries, newest first (ties in time by insertion order, newest first). */
export function listModerationLog(db: Db, { commentId, limit = 50, offset = 0 }: ModerationLogFilter = {}): ModerationLogRow[] {
  return db
    .select()
    .from(moderationLog)
    .where(commentId === undefined ? undefined : eq(moderationLog.commentId, commentId))
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(limit)
    .offset(offset)
    .all();
}

/** How many entries there are (for pagination), optionally about one comment. */
export function countModerationLog(db: Db, { commentId }: Pick<ModerationLogFilter, 'commentId'> = {}): number {
  return (
    db
      .select({ count: sql<number>`count(*)` })
      .from(moderationLog)
      .where(commentId === undefined ? undefined : eq(moderationLog.commentId, commentId))
      .get()?.count ?? 0
  );
}
