import { desc, eq, inArray, or, sql, count } from 'drizzle-orm';
import { firstRow } from './rows';
import type { blockedAuthors } from '../schema/sqlite';
import type { Db } from '../client';
import { findComment } from './comments';
import { insertModerationLog } from './moderation-log';

export type BlockedAuthorRow = typeof blockedAuthors.$inferSelect;

/** Whether a new comment with this email (any case) or from this client is from a blocked author. Use inside the submission's transaction. */
export async function isAuthorBlockedIn(db: Db, email: string, clientHash: string | null): Promise<boolean> {
  const { blockedAuthors } = db.tables;
  const byEmail = eq(blockedAuthors.email, email.trim().toLowerCase());
  return !!(await db
    .orm.select({ id: blockedAuthors.id })
    .from(blockedAuthors)
    .where(clientHash ? or(byEmail, eq(blockedAuthors.clientHash, clientHash)) : byEmail)
    .limit(1)
    .then(firstRow));
}

export type BlockOutcome = { kind: 'blocked'; id: number } | { kind: 'already' } | { kind: 'notFound' } | { kind: 'fromSite' };

/**
 * Blocks the author of a comment: their email (lowercased) and the client hash the comment came
 * from. Logged; nothing public changes (only future comments are affected), so no page stamp.
 */
export async function blockAuthorOfComment(db: Db, commentId: number, moderator: { id: number; name: string }, now: Date): Promise<BlockOutcome> {
  const { blockedAuthors } = db.tables;
  return db.transaction(async (tx): Promise<BlockOutcome> => {
    const comment = await findComment(tx, commentId);
    if (!comment || comment.erasedAt) return { kind: 'notFound' };
    // The site's own replies carry a moderator's address: blocking it would spam the team.
    if (comment.moderatorId !== null) return { kind: 'fromSite' };
    const email = comment.authorEmail.trim().toLowerCase();
    if (await isAuthorBlockedIn(tx, email, null)) return { kind: 'already' };
    const id = await tx
      .orm.insert(blockedAuthors)
      .values({ email, clientHash: comment.clientHash, authorName: comment.authorName, commentId, moderatorName: moderator.name, createdAt: now })
      .returning({ id: blockedAuthors.id })
      .then((rows) => rows[0]!.id);
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'block', commentId, detail: comment.authorName, createdAt: now });
    return { kind: 'blocked', id };
  });
}

/** Lifts a block (the rules page's Unblock); false when it was already gone. Logged. */
export async function unblockAuthor(db: Db, id: number, moderator: { id: number; name: string }, now: Date): Promise<boolean> {
  const { blockedAuthors } = db.tables;
  return db.transaction(async (tx) => {
    const row = await tx.orm.select().from(blockedAuthors).where(eq(blockedAuthors.id, id)).then(firstRow);
    if (!row) return false;
    await tx.orm.delete(blockedAuthors).where(eq(blockedAuthors.id, id));
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'unblock', commentId: row.commentId, detail: row.authorName, createdAt: now });
    return true;
  });
}

/** Every block, newest first (the rules page). */
export async function listBlockedAuthors(db: Db): Promise<BlockedAuthorRow[]> {
  const { blockedAuthors } = db.tables;
  return db.orm.select().from(blockedAuthors).orderBy(desc(blockedAuthors.createdAt), desc(blockedAuthors.id));
}

/** Of these emails (any case), the lowercased ones that are blocked: one query for a page of the queue. */
export async function blockedEmailsAmong(db: Db, emails: readonly string[]): Promise<Set<string>> {
  const { blockedAuthors } = db.tables;
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (!wanted.length) return new Set();
  const rows = await db
    .orm.select({ email: blockedAuthors.email })
    .from(blockedAuthors)
    .where(inArray(blockedAuthors.email, wanted))
    ;
  return new Set(rows.map((r) => r.email!).filter(Boolean));
}

/** How many blocks there are (for the rules page heading). */
export async function countBlockedAuthors(db: Db): Promise<number> {
  const { blockedAuthors } = db.tables;
  return db.orm.select({ n: count() }).from(blockedAuthors).then((rows) => rows[0]?.n ?? 0);
}
