import type { Db } from '../../db/client';
import { findComment, insertComment } from '../../db/queries/comments';
import { insertModerationLog } from '../../db/queries/moderation-log';
import { bumpPostStamps } from '../../db/queries/page-stamps';
import { retrainCommentIn, learnNewCommentIn } from '../../db/queries/spam-filter';
import {
  countByStatus,
  deleteCommentPermanently,
  findComments,
  listCommentedPostSlugs,
  listQueue,
  QUEUE_PAGE_SIZE,
  setCommentStatus,
  updateCommentContent,
  type QueueRow,
} from '../../db/queries/moderation-queue';
import { applyModerationAction, type ModerationAction } from '../domain/comments/moderation';
import { SPAM_TRAINER } from '../domain/comments/spam-filter';
import type { CommentStatus } from '../domain/comments/types';
import { COMMENT_STATUSES } from '../domain/comments/types';
import { validateCommentInput, type CommentField } from '../domain/comments/validation';
import type { MessageKey } from '../domain/comments/messages';
import { renderCommentBody } from '../render/comment-body';
import type { SessionModerator } from './auth/sessions';

export type { QueueRow };

export interface QueueQuery {
  status: CommentStatus;
  postSlug?: string;
  search?: string;
  page: number;
}

export interface QueueView {
  query: QueueQuery;
  rows: QueueRow[];
  total: number;
  pageCount: number;
  counts: Record<CommentStatus, number>;
  postSlugs: string[];
}

/** Reads the queue's query string leniently: anything unknown falls back to the default. */
export function parseQueueQuery(params: URLSearchParams): QueueQuery {
  const status = params.get('status') as CommentStatus;
  const page = Number(params.get('page'));
  const search = params.get('q')?.trim().slice(0, 200);
  const postSlug = params.get('post')?.trim();
  return {
    status: COMMENT_STATUSES.includes(status) ? status : 'pending',
    page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1,
    search: search || undefined,
    postSlug: postSlug || undefined,
  };
}

/** One page of the moderation queue with the counts for the tabs. */
export async function loadQueue(db: Db, query: QueueQuery): Promise<QueueView> {
  const { rows, total } = await listQueue(db, query);
  const counts = await countByStatus(db);
  return {
    query,
    rows,
    total,
    pageCount: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
    counts: Object.fromEntries(COMMENT_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<CommentStatus, number>,
    postSlugs: await listCommentedPostSlugs(db),
  };
}

/** Number of comments waiting for a moderator (for the admin header). */
export async function pendingCount(db: Db): Promise<number> {
  return (await countByStatus(db)).pending ?? 0;
}

/**
 * Applies one moderation action to several comments in one transaction, skipping those for
 * which it makes no sense (e.g. approving an approved comment). Every change is logged.
 */
export async function moderateComments(db: Db, moderator: SessionModerator, action: ModerationAction, ids: readonly number[], now: Date): Promise<{ changed: number; published: number[] }> {
  return db.transaction(async (tx) => {
    let changed = 0;
    /** Comments this action made public (for the `comment.published` webhook). */
    const published: number[] = [];
    // Readers see a change only when a comment enters or leaves the approved thread (or is deleted: its replies move).
    const visibleOn = new Set<string>();
    for (const comment of await findComments(tx, ids)) {
      const transition = applyModerationAction(
        { status: comment.status, previousStatus: comment.previousStatus },
        action,
      );
      if (transition.kind === 'invalid') continue;
      if (transition.kind === 'delete' || comment.status === 'approved' || transition.status === 'approved') visibleOn.add(comment.postSlug);
      // Deleting keeps what the comment taught: emptying the spam folder must not unlearn spam.
      if (transition.kind === 'delete') await deleteCommentPermanently(tx, comment.id);
      else {
        await setCommentStatus(tx, comment.id, transition.status, transition.previousStatus, now);
        if (transition.status === 'approved' && comment.status !== 'approved') published.push(comment.id);
        await retrainCommentIn(tx, SPAM_TRAINER, comment, { ...comment, status: transition.status, previousStatus: transition.previousStatus });
      }
      await insertModerationLog(tx, {
        moderatorId: moderator.id,
        moderatorName: moderator.name,
        action,
        commentId: comment.id,
        detail: transition.kind === 'delete' ? `deleted (was ${comment.status}) on ${comment.postSlug}` : `${comment.status} → ${transition.status}`,
        createdAt: now,
      });
      changed++;
    }
    await bumpPostStamps(tx, visibleOn);
    return { changed, published };
  });
}

export type EditOutcome = { ok: true } | { ok: false; errors: Partial<Record<CommentField, MessageKey>> } | { ok: false; notFound: true };

/** A moderator's correction of name, website and text; validated and re-sanitised like a new comment. */
export async function editComment(db: Db, moderator: SessionModerator, id: number, fields: Record<string, unknown>, now: Date): Promise<EditOutcome> {
  const comment = await findComment(db, id);
  // An erased comment stays erased: its author asked for their words to be gone.
  if (!comment || comment.erasedAt) return { ok: false, notFound: true };
  const validation = validateCommentInput({ name: fields.name, email: comment.authorEmail, website: fields.website, comment: fields.comment });
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const { name, website, body } = validation.value;
  await db.transaction(async (tx) => {
    await updateCommentContent(tx, id, { authorName: name, authorUrl: website, bodySource: body, bodyHtml: renderCommentBody(body) }, now);
    // A learned comment is relearned from its corrected text.
    await retrainCommentIn(tx, SPAM_TRAINER, comment, { ...comment, authorName: name, authorUrl: website, bodySource: body });
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'edit', commentId: id, detail: null, createdAt: now });
    if (comment.status === 'approved') await bumpPostStamps(tx, [comment.postSlug]);
  });
  return { ok: true };
}

export type ReplyOutcome = { ok: true; id: number; postSlug: string; published: number[] } | { ok: false; errors: Partial<Record<CommentField, MessageKey>> } | { ok: false; notFound: true };

/**
 * A reply from the site: approved at once and marked as from a moderator. Replying to a
 * comment that is still pending approves it too (as WordPress does): answering it publicly
 * means it should be seen.
 */
export async function replyAsModerator(db: Db, moderator: SessionModerator, parentId: number, fields: Record<string, unknown>, now: Date): Promise<ReplyOutcome> {
  const parent = await findComment(db, parentId);
  if (!parent || parent.status === 'spam' || parent.status === 'trash' || parent.erasedAt) return { ok: false, notFound: true };
  const validation = validateCommentInput({ name: moderator.name, email: moderator.email, comment: fields.comment });
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const body = validation.value.body;
  const id = await db.transaction(async (tx) => {
    if (parent.status === 'pending') {
      await setCommentStatus(tx, parent.id, 'approved', null, now);
      await retrainCommentIn(tx, SPAM_TRAINER, parent, { ...parent, status: 'approved', previousStatus: null });
      await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'approve', commentId: parent.id, detail: 'approved by replying', createdAt: now });
    }
    const replyId = await insertComment(tx, {
      postSlug: parent.postSlug,
      parentId: parent.id,
      status: 'approved',
      authorName: moderator.name,
      authorEmail: moderator.email,
      authorUrl: null,
      bodySource: body,
      bodyHtml: renderCommentBody(body),
      moderatorId: moderator.id,
      decisionReason: 'moderator',
      createdAt: now,
      updatedAt: now,
    });
    await learnNewCommentIn(tx, SPAM_TRAINER, { id: replyId, status: 'approved', previousStatus: null, decisionReason: 'moderator', spamTrainedAs: null, authorName: moderator.name, authorEmail: moderator.email, authorUrl: null, bodySource: body });
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'reply', commentId: replyId, detail: `in reply to ${parent.id}`, createdAt: now });
    await bumpPostStamps(tx, [parent.postSlug]);
    return replyId;
  });
  // The reply is public at once, and so is a pending comment it answered.
  return { ok: true, id, postSlug: parent.postSlug, published: parent.status === 'pending' ? [parent.id, id] : [id] };
}
