import { desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { blockedAuthors } from '../schema';
import { findComment } from './comments';
import { insertModerationLog } from './moderation-log';

export type BlockedAuthorRow = typeof blockedAuthors.$inferSelect;

/** Whether a new comment with this email (any case) or from this client is from a blocked author. Use inside the submission's transaction. */
export function isAuthorBlockedIn(db: Db, email: string, clientHash: string | null): boolean {
  const byEmail = eq(blockedAuthors.email, email.trim().toLowerCase());
  return !!db
    .select({ id: blockedAuthors.id })
    .from(blockedAuthors)
    .where(clientHash ? or(byEmail, eq(blockedAuthors.clientHash, clientHash)) : byEmail)
    .limit(1)
    .get();
}

export type BlockOutcome = { kind: 'blocked'; id: number } | { kind: 'already' } | { kind: 'notFound' } | { kind: 'fromSite' };

/**
 * Blocks the author of a comment: their email (lowercased) and the client hash the comment came
 * from. Logged; nothing public changes (only future comments are affected), so no page stamp.
 */
export async function blockAuthorOfComment(db: Db, commentId: number, moderator: { id: number; name: string }, now: Date): Promise<BlockOutcome> {
  return db.transaction((tx): BlockOutcome => {
    const comment = findComment(tx, commentId);
    if (!comment || comment.erasedAt) return { kind: 'notFound' };
    // The site's own replies carry a moderator's address: blocking it would spam the team.
    if (comment.moderatorId !== null) return { kind: 'fromSite' };
    const email = comment.authorEmail.trim().toLowerCase();
    if (isAuthorBlockedIn(tx, email, null)) return { kind: 'already' };
    const id = tx
      .insert(blockedAuthors)
      .values({ email, clientHash: comment.clientHash, authorName: comment.authorName, commentId, moderatorName: moderator.name, createdAt: now })
      .returning({ id: blockedAuthors.id })
      .get().id;
    insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'block', commentId, detail: comment.authorName, createdAt: now });
    return { kind: 'blocked', id };
  });
}

/** Lifts a block (the rules page's Unblock); false when it was already gone. Logged. */
export async function unblockAuthor(db: Db, id: number, moderator: { id: number; name: string }, now: Date): Promise<boolean> {
  return db.transaction((tx) => {
    const row = tx.select().from(blockedAuthors).where(eq(blockedAuthors.id, id)).get();
    if (!row) return false;
    tx.delete(blockedAuthors).where(eq(blockedAuthors.id, id)).run();
    insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'unblock', commentId: row.commentId, detail: row.authorName, createdAt: now });
    return true;
  });
}

/** Every block, newest first (the rules page). */
export async function listBlockedAuthors(db: Db): Promise<BlockedAuthorRow[]> {
  return db.select().from(blockedAuthors).orderBy(desc(blockedAuthors.createdAt), desc(blockedAuthors.id)).all();
}

/** Of these emails (any case), the lowercased ones that are blocked: one query for a page of the queue. */
export async function blockedEmailsAmong(db: Db, emails: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (!wanted.length) return new Set();
  const rows = db
    .select({ email: blockedAuthors.email })
    .from(blockedAuthors)
    .where(inArray(blockedAuthors.email, wanted))
    .all();
  return new Set(rows.map((r) => r.email!).filter(Boolean));
}

/** How many blocks there are (for the rules page heading). */
export async function countBlockedAuthors(db: Db): Promise<number> {
  return db.select({ n: sql<number>`count(*)` }).from(blockedAuthors).get()?.n ?? 0;
}
