import { asc, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { comments, outgoingMail, replySubscriptions } from '../schema';
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
export function listCommentsByEmail(db: Db, email: string): CommentRow[] {
  const wanted = email.trim();
  if (!wanted) return [];
  return db
    .select()
    .from(comments)
    .where(sql`lower(${comments.authorEmail}) = lower(${wanted})`)
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .all();
}

/** Every "Notify me of replies by email" subscription made with this email, oldest first. */
export function listReplySubscriptionsByEmail(db: Db, email: string): (typeof replySubscriptions.$inferSelect)[] {
  const wanted = email.trim();
  if (!wanted) return [];
  return db
    .select()
    .from(replySubscriptions)
    .where(sql`lower(${replySubscriptions.email}) = lower(${wanted})`)
    .orderBy(asc(replySubscriptions.id))
    .all();
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
export function eraseCommenterRows(
  db: Db,
  email: string,
  now: Date,
  logEntries: (commentIds: number[]) => NewModerationLogRow[],
  trainer: SpamTrainer,
): ErasedRows {
  const wanted = email.trim();
  if (!wanted) return { commentIds: [], mailsRemoved: 0, subscriptionsRemoved: 0 };
  // IMMEDIATE: take the write lock up front, so a busy server cannot interleave.
  return db.transaction(
    (tx): ErasedRows => {
      // The spam filter's counts and evidence came from their words: forgotten before the words go.
      forgetCommenterIn(tx, trainer, wanted);
      const erased = tx
        .update(comments)
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
        .all();
      const commentIds = erased.map((r) => r.id).sort((a, b) => a - b);
      bumpPostStamps(tx, erased.map((r) => r.postSlug));
      forgetEditHistoryIn(tx, commentIds);
      insertModerationLogEntries(tx, logEntries(commentIds));
      const subscriptionsRemoved = tx
        .delete(replySubscriptions)
        .where(sql`lower(${replySubscriptions.email}) = lower(${wanted})`)
        .run().changes;
      // Notifications to moderators quote the commenter's name, email and text; reply
      // notifications and confirmation links were addressed to them.
      const mailsRemoved = tx
        .delete(outgoingMail)
        .where(sql`instr(lower(${outgoingMail.textBody}), lower(${wanted})) > 0 or lower(${outgoingMail.recipient}) = lower(${wanted})`)
        .run().changes;
      // Webhook payloads quote their name and text too (the receivers' copies are theirs to delete).
      deleteWebhooksForCommentsIn(tx, commentIds);
      return { commentIds, mailsRemoved, subscriptionsRemoved };
    },
    { behavior: 'immediate' },
  );
}
