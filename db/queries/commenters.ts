import { asc, or, sql } from 'drizzle-orm';
import { containsIgnoringCase } from './rows';
import type { comments, outgoingMail, replySubscriptions } from '../schema/sqlite';
import type { Db } from '../client';
import type { CommentRow } from './comments';
import { insertModerationLogEntries, type NewModerationLogRow } from './moderation-log';
import { bumpPostStamps } from './page-stamps';
import { forgetCommenterIn, type SpamTrainer } from './spam-filter';
import { deleteWebhooksForCommentsIn } from './webhooks';
import { forgetEditHistoryIn } from './own-comments';

/**
 * A commenter is not a table: they are the comments stored under one email address
 * (matched case-insensitively). These queries serve the data-subject commands
 * `npm run commenter -- export|erase <email>`.
 */

/** Every comment stored under this email (any status), oldest first. */
export async function listCommentsByEmail(db: Db, email: string): Promise<CommentRow[]> {
  const { comments } = db.tables;
  const wanted = email.trim();
  if (!wanted) return [];
  return db
    .orm.select()
    .from(comments)
    .where(sql`lower(${comments.authorEmail}) = lower(${wanted})`)
    .orderBy(asc(comments.createdAt), asc(comments.id))
    ;
}

/** Every "Notify me of replies by email" subscription made with this email, oldest first. */
export async function listReplySubscriptionsByEmail(db: Db, email: string): Promise<(typeof replySubscriptions.$inferSelect)[]> {
  const { replySubscriptions } = db.tables;
  const wanted = email.trim();
  if (!wanted) return [];
  return db
    .orm.select()
    .from(replySubscriptions)
    .where(sql`lower(${replySubscriptions.email}) = lower(${wanted})`)
    .orderBy(asc(replySubscriptions.id))
    ;
}

export interface ErasedRows {
  /** The comments whose personal data and text were removed. */
  commentIds: number[];
  /** Queued or sent notification mails that quoted the commenter or were addressed to them, deleted with them. */
  mailsRemoved: number;
  /** Their reply-notification subscriptions, deleted. */
  subscriptionsRemoved: number;
}

/**
 * One atomic unit: blanks the personal fields and text of every comment stored under this email
 * (keeping id, post, parent, status and dates; marked erased), deletes the queued or sent mails
 * and webhook deliveries quoting them, the mails addressed to the email and the reply
 * subscriptions made with it, makes the spam filter forget what it learned from them
 * (`trainer`: the pure model), bumps the affected posts' stamps and writes the log entries
 * `logEntries` makes for the erased ids. The policy (what is kept, what is logged) is the service's.
 */
export async function eraseCommenterRows(
  db: Db,
  email: string,
  now: Date,
  logEntries: (commentIds: number[]) => NewModerationLogRow[],
  trainer: SpamTrainer,
): Promise<ErasedRows> {
  const { blockedAuthors, comments, outgoingMail, replySubscriptions } = db.tables;
  const wanted = email.trim();
  if (!wanted) return { commentIds: [], mailsRemoved: 0, subscriptionsRemoved: 0 };
  // IMMEDIATE: take the write lock up front, so a busy server cannot interleave.
  return db.transaction(
    async (tx): Promise<ErasedRows> => {
      // The spam filter's counts and evidence came from their words: forgotten before the words go.
      await forgetCommenterIn(tx, trainer, wanted);
      const erased = await tx
        .orm.update(comments)
        .set({
          authorName: '',
          authorEmail: '',
          authorUrl: null,
          bodySource: '',
          bodyHtml: '',
          clientHash: null,
          erasedAt: now,
          updatedAt: now,
        })
        .where(sql`lower(${comments.authorEmail}) = lower(${wanted})`)
        .returning({ id: comments.id, postSlug: comments.postSlug })
        ;
      const commentIds = erased.map((r) => r.id).sort((a, b) => a - b);
      await bumpPostStamps(tx, erased.map((r) => r.postSlug));
      await forgetEditHistoryIn(tx, commentIds);
      await insertModerationLogEntries(tx, logEntries(commentIds));
      const subscriptionsRemoved = await tx
        .orm.delete(replySubscriptions)
        .where(sql`lower(${replySubscriptions.email}) = lower(${wanted})`)
        .returning({ id: replySubscriptions.id })
        .then((rows) => rows.length);
      // Notifications to moderators quote the commenter's name, email and text; reply
      // notifications and confirmation links were addressed to them.
      const mailsRemoved = await tx
        .orm.delete(outgoingMail)
        .where(or(containsIgnoringCase(tx, outgoingMail.textBody, wanted), sql`lower(${outgoingMail.recipient}) = lower(${wanted})`))
        .returning({ id: outgoingMail.id })
        .then((rows) => rows.length);
      // A block made from one of their comments keeps working by the client hash, without their address or name.
      await tx.orm.update(blockedAuthors).set({ email: null, authorName: '' }).where(sql`${blockedAuthors.email} = lower(${wanted})`);
      // Webhook payloads quote their name and text too (the receivers' copies are theirs to delete).
      await deleteWebhooksForCommentsIn(tx, commentIds);
      return { commentIds, mailsRemoved, subscriptionsRemoved };
    },
  );
}
