import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { comments, moderationLog, replySubscriptions } from '../schema';
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
  return db.transaction((tx): OwnChangeResult => {
    const current = tx.select().from(comments).where(eq(comments.id, id)).get();
    if (!current || current.erasedAt) return { kind: 'missing' };
    const { status, previousStatus, reason } = verdict(current);
    tx.update(comments)
      .set({ ...edit, status, previousStatus, decisionReason: status === current.status ? current.decisionReason : reason, editedAt: now, updatedAt: now })
      .where(eq(comments.id, id))
      .run();
    insertModerationLog(tx, {
      moderatorId: null,
      moderatorName: COMMENTER_ACTOR,
      action: 'commenter-edit',
      commentId: id,
      // The history moderators need: what it said before, and whether the rules moved it.
      detail: `${current.status === status ? status : `${current.status} → ${status} (${reason})`}; before: ${current.bodySource.slice(0, 2000)}`,
      createdAt: now,
    });
    if (current.status === 'approved' || status === 'approved') bumpPostStamps(tx, [current.postSlug]);
    return { kind: 'done', postSlug: current.postSlug, status };
  });
}

/**
 * Deletes the author's comment. With published replies it stays as a "comment removed"
 * placeholder (trashed, its name, address, website and text gone, as an erase leaves it) so the
 * thread stays readable; otherwise it is deleted for good. Its reply subscription goes with it.
 */
export async function deleteOwnComment(db: Db, id: number, now: Date): Promise<OwnChangeResult & { placeholder?: boolean }> {
  return db.transaction((tx) => {
    const current = tx.select().from(comments).where(eq(comments.id, id)).get();
    if (!current || current.erasedAt) return { kind: 'missing' as const };
    const hasPublishedReplies = !!tx
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.parentId, id), eq(comments.status, 'approved')))
      .limit(1)
      .get();
    tx.delete(replySubscriptions).where(eq(replySubscriptions.commentId, id)).run();
    if (hasPublishedReplies) {
      tx.update(comments)
        .set({ status: 'trash', previousStatus: current.status, authorName: '', authorEmail: '', authorUrl: null, bodySource: '', bodyHtml: '', clientHash: null, erasedAt: now, updatedAt: now })
        .where(eq(comments.id, id))
        .run();
    } else {
      deleteCommentPermanently(tx, id);
    }
    insertModerationLog(tx, {
      moderatorId: null,
      moderatorName: COMMENTER_ACTOR,
      action: 'commenter-delete',
      commentId: id,
      detail: `${hasPublishedReplies ? 'kept as "comment removed" (it has published replies)' : 'deleted'} (was ${current.status}) on ${current.postSlug}`,
      createdAt: now,
    });
    if (current.status === 'approved' || hasPublishedReplies) bumpPostStamps(tx, [current.postSlug]);
    return { kind: 'done' as const, postSlug: current.postSlug, status: current.status, placeholder: hasPublishedReplies };
  });
}

/** Forgets the previous text kept in the log for these comments (an erase removes the commenter's words everywhere). */
export function forgetEditHistoryIn(tx: Db, commentIds: readonly number[]): void {
  if (!commentIds.length) return;
  tx.update(moderationLog)
    .set({ detail: null })
    .where(and(eq(moderationLog.action, 'commenter-edit'), inArray(moderationLog.commentId, [...commentIds])))
    .run();
}
