import { and, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { firstRow } from './rows';
import type { comments, outgoingMail, replyNotices, replySubscriptions } from '../schema/sqlite';
import type { Db } from '../client';
import { insertModerationLog } from './moderation-log';
import { bumpPostStamps } from './page-stamps';
import { COMMENTER_ACTOR } from '../../src/domain/comments/moderation';

/**
 * Reply notifications ("Notify me of replies by email"): subscriptions, their confirmation and
 * unsubscription, and the queue of reply mails. Addresses match case-insensitively.
 */

export type ReplySubscriptionRow = typeof replySubscriptions.$inferSelect;


/** Subscribes a comment's author to replies; `confirmed` when their browser already proved the address. */
export async function createReplySubscription(db: Db, row: { commentId: number; email: string; confirmed: boolean; now: Date }): Promise<number> {
  const { replySubscriptions } = db.tables;
  return db
    .orm.insert(replySubscriptions)
    .values({ commentId: row.commentId, email: row.email, confirmedAt: row.confirmed ? row.now : null, createdAt: row.now })
    .returning({ id: replySubscriptions.id })
    .then((rows) => rows[0]!.id);
}

export interface SubscriptionWithComment extends ReplySubscriptionRow {
  postSlug: string;
  commentStatus: string;
}

/** One subscription with the post and status of its comment. */
export async function findReplySubscription(db: Db, id: number): Promise<SubscriptionWithComment | undefined> {
  const { comments, replySubscriptions } = db.tables;
  const found = await db
    .orm.select({ subscription: replySubscriptions, postSlug: comments.postSlug, commentStatus: comments.status })
    .from(replySubscriptions)
    .innerJoin(comments, eq(comments.id, replySubscriptions.commentId))
    .where(eq(replySubscriptions.id, id))
    .then(firstRow);
  return found ? { ...found.subscription, postSlug: found.postSlug, commentStatus: found.commentStatus } : undefined;
}

/** The subscriptions of these comments (the viewer's own), by comment id. */
export async function listSubscriptionsOfComments(db: Db, commentIds: readonly number[]): Promise<Map<number, ReplySubscriptionRow>> {
  const { replySubscriptions } = db.tables;
  if (!commentIds.length) return new Map();
  const rows = await db.orm.select().from(replySubscriptions).where(inArray(replySubscriptions.commentId, [...commentIds]));
  return new Map(rows.map((r) => [r.commentId, r]));
}

/**
 * Whether this browser has proved it reads mail at `email`: one of its own comments (the signed
 * cookie's ids) was written under that address and its subscription was confirmed from the mail.
 */
export async function hasConfirmedAddressAmong(db: Db, ownCommentIds: readonly number[], email: string): Promise<boolean> {
  return hasConfirmedAddressAmongIn(db, ownCommentIds, email);
}

async function hasConfirmedAddressAmongIn(db: Db, ownCommentIds: readonly number[], email: string): Promise<boolean> {
  const { comments, replySubscriptions } = db.tables;
  if (!ownCommentIds.length) return false;
  return !!(await db
    .orm.select({ id: replySubscriptions.id })
    .from(replySubscriptions)
    .innerJoin(comments, eq(comments.id, replySubscriptions.commentId))
    .where(
      and(
        inArray(replySubscriptions.commentId, [...ownCommentIds]),
        isNotNull(replySubscriptions.confirmedAt),
        sql`lower(${replySubscriptions.email}) = lower(${email})`,
        sql`lower(${comments.authorEmail}) = lower(${email})`,
      ),
    )
    .limit(1)
    .then(firstRow));
}

/** Whether any comment other than `exceptId` is approved under this address (auto-approval's "known author"). */
async function hasApprovedCommentByEmailIn(db: Db, email: string, exceptId: number | null): Promise<boolean> {
  const { comments } = db.tables;
  return !!(await db
    .orm.select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.status, 'approved'), sql`lower(${comments.authorEmail}) = lower(${email})`, exceptId === null ? undefined : ne(comments.id, exceptId)))
    .limit(1)
    .then(firstRow));
}

/**
 * Whether the author of a new comment is proven to be someone with an approved comment by a
 * confirmed address: this browser confirmed `email` from the mail, and the address has an
 * approved comment. Only the browser's own proof is consulted, so nothing here tells a stranger
 * whether an address has commented.
 */
export async function isConfirmedKnownAuthor(db: Db, ownCommentIds: readonly number[], email: string): Promise<boolean> {

  return isConfirmedKnownAuthorIn(db, ownCommentIds, email);
}

/** The same, inside a transaction. */
export async function isConfirmedKnownAuthorIn(db: Db, ownCommentIds: readonly number[], email: string): Promise<boolean> {
  return await hasConfirmedAddressAmongIn(db, ownCommentIds, email) && await hasApprovedCommentByEmailIn(db, email, null);
}

export type ConfirmResult =
  | { kind: 'confirmed'; postSlug: string; commentId: number; approved: boolean }
  | { kind: 'already'; postSlug: string; commentId: number }
  | { kind: 'unsubscribed'; postSlug: string; commentId: number }
  | { kind: 'missing' };

/**
 * Confirms a subscription (the address owner used the link). Proof of the address also counts
 * for auto-approval: a comment held only for want of that proof (`decision_reason` 'default'),
 * by an address with an approved comment, is approved now when `autoApprove` is on. One
 * transaction; the approval is logged and the post's cached pages invalidated.
 */
export async function confirmReplySubscription(db: Db, id: number, autoApprove: boolean, now: Date): Promise<ConfirmResult> {
  const { comments, replySubscriptions } = db.tables;
  return db.transaction(async (tx): Promise<ConfirmResult> => {
    const found = await tx
      .orm.select({ subscription: replySubscriptions, comment: comments })
      .from(replySubscriptions)
      .innerJoin(comments, eq(comments.id, replySubscriptions.commentId))
      .where(eq(replySubscriptions.id, id))
      .then(firstRow);
    if (!found) return { kind: 'missing' };
    const { subscription, comment } = found;
    const where = { postSlug: comment.postSlug, commentId: comment.id };
    if (subscription.unsubscribedAt) return { kind: 'unsubscribed', ...where };
    if (subscription.confirmedAt) return { kind: 'already', ...where };
    await tx.orm.update(replySubscriptions).set({ confirmedAt: now }).where(eq(replySubscriptions.id, id));
    const approve =
      autoApprove &&
      comment.status === 'pending' &&
      comment.decisionReason === 'default' &&
      comment.authorEmail.toLowerCase() === subscription.email.toLowerCase() &&
      await hasApprovedCommentByEmailIn(tx, subscription.email, comment.id);
    if (approve) {
      await tx.orm.update(comments).set({ status: 'approved', previousStatus: null, decisionReason: 'confirmed-author', updatedAt: now }).where(eq(comments.id, comment.id));
      await insertModerationLog(tx, {
        moderatorId: null,
        moderatorName: COMMENTER_ACTOR,
        action: 'approve',
        commentId: comment.id,
        detail: 'pending → approved (the author confirmed their address, which has an approved comment)',
        createdAt: now,
      });
      await bumpPostStamps(tx, [comment.postSlug]);
    }
    return { kind: 'confirmed', approved: approve, ...where };
  });
}

/** Ends every active subscription of the address that subscription `id` was made with; how many ended (0: already off). */
export async function unsubscribeAddressOf(db: Db, id: number, now: Date): Promise<{ found: boolean; ended: number }> {
  const { replySubscriptions } = db.tables;
  return db.transaction(async (tx) => {
    const subscription = await tx.orm.select().from(replySubscriptions).where(eq(replySubscriptions.id, id)).then(firstRow);
    if (!subscription) return { found: false, ended: 0 };
    const ended = await tx
      .orm.update(replySubscriptions)
      .set({ unsubscribedAt: now })
      .where(and(isNull(replySubscriptions.unsubscribedAt), sql`lower(${replySubscriptions.email}) = lower(${subscription.email})`))
      .returning({ id: replySubscriptions.id })
      .then((rows) => rows.length);
    return { found: true, ended };
  });
}

/** An approved reply whose parent's author is subscribed (confirmed, active) and not yet told. */
export interface DueReplyNotice {
  replyId: number;
  replyAuthorName: string;
  replyBodySource: string;
  replyFromSite: boolean;
  postSlug: string;
  parentId: number;
  subscriptionId: number;
  email: string;
}

/**
 * Replies to mail about, oldest first. Never a reply by the subscriber themselves (same address),
 * nor one the subscriber was already told about.
 */
export async function listDueReplyNotices(db: Db, limit = 50): Promise<DueReplyNotice[]> {
  const { comments, replySubscriptions, replyNotices } = db.tables;
  const reply = alias(comments, 'reply');
  return db
    .orm.select({
      replyId: reply.id,
      replyAuthorName: reply.authorName,
      replyBodySource: reply.bodySource,
      replyFromSite: sql<boolean>`${reply.moderatorId} is not null`.mapWith(Boolean),
      postSlug: reply.postSlug,
      parentId: replySubscriptions.commentId,
      subscriptionId: replySubscriptions.id,
      email: replySubscriptions.email,
    })
    .from(replySubscriptions)
    .innerJoin(reply, eq(reply.parentId, replySubscriptions.commentId))
    .leftJoin(replyNotices, eq(replyNotices.replyId, reply.id))
    .where(
      and(
        isNotNull(replySubscriptions.confirmedAt),
        isNull(replySubscriptions.unsubscribedAt),
        eq(reply.status, 'approved'),
        isNull(reply.erasedAt),
        isNull(replyNotices.replyId),
        sql`lower(${reply.authorEmail}) != lower(${replySubscriptions.email})`,
      ),
    )
    .orderBy(reply.id)
    .limit(limit)
    ;
}

export interface QueuedMail {
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  headers: Record<string, string> | null;
}

/**
 * Records each reply as told and queues its mail, in one transaction. A reply another process
 * already claimed is skipped (its row exists), so each reply mails once.
 */
export async function queueReplyNotices(db: Db, notices: readonly { replyId: number; mail: QueuedMail }[], now: Date): Promise<number> {
  const { replyNotices } = db.tables;
  if (!notices.length) return 0;
  return db.transaction(async (tx) => {
    let queued = 0;
    for (const { replyId, mail } of notices) {
      const claimed = await tx.orm.insert(replyNotices).values({ replyId, createdAt: now }).onConflictDoNothing().returning({ replyId: replyNotices.replyId }).then((rows) => rows.length);
      if (!claimed) continue;
      await enqueueMailIn(tx, mail, now);
      queued++;
    }
    return queued;
  });
}

async function enqueueMailIn(tx: Db, mail: QueuedMail, now: Date): Promise<void> {
  const { outgoingMail } = tx.tables;
  await tx.orm.insert(outgoingMail)
    .values({
      recipient: mail.recipient,
      subject: mail.subject,
      textBody: mail.textBody,
      htmlBody: mail.htmlBody,
      headers: mail.headers ? JSON.stringify(mail.headers) : null,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    ;
}

/** Queues one mail (a subscription's confirmation link). */
export async function queueMail(db: Db, mail: QueuedMail, now: Date): Promise<void> {

  await enqueueMailIn(db, mail, now);
}

/** Every subscription made with this address, oldest first (the commenter's export). */
export async function listSubscriptionsByEmail(db: Db, email: string): Promise<ReplySubscriptionRow[]> {
  const { replySubscriptions } = db.tables;
  return db
    .orm.select()
    .from(replySubscriptions)
    .where(sql`lower(${replySubscriptions.email}) = lower(${email.trim()})`)
    .orderBy(replySubscriptions.id)
    ;
}
