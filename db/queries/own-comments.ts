import { and, eq, inArray } from 'drizzle-orm';
import { firstRow } from './rows';
import type { comments, moderationLog, replySubscriptions } from '../schema/sqlite';
import type { Db } from '../client';
import type { CommentRow } from './comments';
import type { CommentStatus } from '../../src/domain/comments/types';
import { insertModerationLog } from './moderation-log';
import { deleteCommentPermanently } from './moderation-queue';
import { bumpPostStamps } from './page-stamps';
import { COMMENTER_ACTOR } from '../../src/domain/comments/moderation';

/**
 * A commenter's changes to their own comment (edit, delete), each one transaction that also
 * logs it for the moderators and invalidates the post's cached pages when readers see a change.
 */

export interface OwnEdit {
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  bodySource: string;
  bodyHtml: string;
}

/** What the rules make of the edited comment, decided by the caller from the stored row. */
export type EditVerdict = (current: CommentRow) => { status: CommentStatus; previousStatus: CommentStatus | null; reason: string };

export type OwnChangeResult = { kind: 'done'; postSlug: string; status: CommentStatus } | { kind: 'missing' };

/** Stores the author's edit with the status the rules give it; the log keeps the text it replaced. */
export async function storeOwnEdit(db: Db, id: number, edit: OwnEdit, verdict: EditVerdict, now: Date): Promise<OwnChangeResult> {
  const { comments } = db.tables;
  return db.transaction(async (tx): Promise<OwnChangeResult> => {
    const current = await tx.orm.select().from(comments).where(eq(comments.id, id)).then(firstRow);
    if (!current || current.erasedAt) return { kind: 'missing' };
    const { status, previousStatus, reason } = verdict(current);
    await tx.orm.update(comments)
      .set({ ...edit, status, previousStatus, decisionReason: status === current.status ? current.decisionReason : reason, editedAt: now, updatedAt: now })
      .where(eq(comments.id, id))
      ;
    await insertModerationLog(tx, {
      moderatorId: null,
      moderatorName: COMMENTER_ACTOR,
      action: 'commenter-edit',
      commentId: id,
      // The history moderators need: what it said before, and whether the rules moved it.
      detail: `${current.status === status ? status : `${current.status} → ${status} (${reason})`}; before: ${current.bodySource.slice(0, 2000)}`,
      createdAt: now,
    });
    if (current.status === 'approved' || status === 'approved') await bumpPostStamps(tx, [current.postSlug]);
    return { kind: 'done', postSlug: current.postSlug, status };
  });
}

/**
 * Deletes the author's comment. With published replies it stays as a "comment removed"
 * placeholder (trashed, its name, address, website and text gone, as an erase leaves it) so the
 * thread stays readable; otherwise it is deleted for good. Its reply subscription goes with it.
 */
export async function deleteOwnComment(db: Db, id: number, now: Date): Promise<OwnChangeResult & { placeholder?: boolean }> {
  const { comments, replySubscriptions } = db.tables;
  return db.transaction(async (tx) => {
    const current = await tx.orm.select().from(comments).where(eq(comments.id, id)).then(firstRow);
    if (!current || current.erasedAt) return { kind: 'missing' as const };
    const hasPublishedReplies = !!(await tx
      .orm.select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.parentId, id), eq(comments.status, 'approved')))
      .limit(1)
      .then(firstRow));
    await tx.orm.delete(replySubscriptions).where(eq(replySubscriptions.commentId, id));
    if (hasPublishedReplies) {
      await tx.orm.update(comments)
        .set({ status: 'trash', previousStatus: current.status, authorName: '', authorEmail: '', authorUrl: null, bodySource: '', bodyHtml: '', clientHash: null, erasedAt: now, updatedAt: now })
        .where(eq(comments.id, id))
        ;
    } else {
      await deleteCommentPermanently(tx, id);
    }
    await insertModerationLog(tx, {
      moderatorId: null,
      moderatorName: COMMENTER_ACTOR,
      action: 'commenter-delete',
      commentId: id,
      detail: `${hasPublishedReplies ? 'kept as "comment removed" (it has published replies)' : 'deleted'} (was ${current.status}) on ${current.postSlug}`,
      createdAt: now,
    });
    if (current.status === 'approved' || hasPublishedReplies) await bumpPostStamps(tx, [current.postSlug]);
    return { kind: 'done' as const, postSlug: current.postSlug, status: current.status, placeholder: hasPublishedReplies };
  });
}

/** Forgets the previous text kept in the log for these comments (an erase removes the commenter's words everywhere). */
export async function forgetEditHistoryIn(tx: Db, commentIds: readonly number[]): Promise<void> {
  const { moderationLog } = tx.tables;
  if (!commentIds.length) return;
  await tx.orm.update(moderationLog)
    .set({ detail: null })
    .where(and(eq(moderationLog.action, 'commenter-edit'), inArray(moderationLog.commentId, [...commentIds])))
    ;
}
