import type { Db } from '../../db/client';
import { eraseCommenterRows, listCommentsByEmail, listReplySubscriptionsByEmail, type ErasedRows } from '../../db/queries/commenters';
import { COMMAND_LINE_ACTOR } from '../domain/comments/moderation';
import { SPAM_TRAINER } from '../domain/comments/spam-filter';

/**
 * A commenter is not a table: they are the comments stored under one email address (matched
 * case-insensitively). This is the policy of the data-subject commands
 * `npm run commenter -- export|erase <email>`: what an export contains, what an erasure keeps.
 */

/** One comment as the commenter's export shows it. */
export interface ExportedComment {
  id: number;
  /** Slug of the post: the page is /posts/<post>. */
  post: string;
  parentId: number | null;
  status: string;
  name: string;
  email: string;
  website: string | null;
  /** The text as the commenter typed it. */
  text: string;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
}

/** A "Notify me of replies by email" subscription, as the export shows it. */
export interface ExportedSubscription {
  /** The comment whose replies are (or were) mailed. */
  commentId: number;
  email: string;
  createdAt: string;
  /** When the confirmation link was used; null: never confirmed, nothing was mailed about replies. */
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

export interface CommenterExport {
  email: string;
  exportedAt: string;
  note: string;
  comments: ExportedComment[];
  replySubscriptions: ExportedSubscription[];
}

export const EXPORT_NOTE =
  'All comments stored under this email address, with every field kept about them. Network addresses are ' +
  'never stored: each comment keeps only a keyed hash of the sender\'s address for flood control, which cannot ' +
  'be turned back into the address and is not included.';

/** Everything stored about the commenter with this email, ready for JSON. */
export async function exportCommenter(db: Db, email: string, now: Date): Promise<CommenterExport> {
  return {
    email: email.trim(),
    exportedAt: now.toISOString(),
    note: EXPORT_NOTE,
    comments: (await listCommentsByEmail(db, email)).map((row) => ({
      id: row.id,
      post: row.postSlug,
      parentId: row.parentId,
      status: row.status,
      name: row.authorName,
      email: row.authorEmail,
      website: row.authorUrl,
      text: row.bodySource,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      erasedAt: row.erasedAt?.toISOString() ?? null,
    })),
    replySubscriptions: (await listReplySubscriptionsByEmail(db, email)).map((row) => ({
      commentId: row.commentId,
      email: row.email,
      createdAt: row.createdAt.toISOString(),
      confirmedAt: row.confirmedAt?.toISOString() ?? null,
      unsubscribedAt: row.unsubscribedAt?.toISOString() ?? null,
    })),
  };
}

export type EraseResult = ErasedRows;

/**
 * Removes the commenter's personal data and text while keeping the thread's shape: each of
 * their comments keeps its id, post, parent, status and dates but loses name, email, website,
 * text and client hash, and is marked erased (shown as "comment removed"). Moderator
 * notification mails and webhook deliveries quoting them, mails to them and their reply
 * subscriptions are deleted too, and the spam filter forgets what it learned from their words.
 * One transaction; one log entry per comment.
 * Idempotent: erased comments no longer carry the email, so a second run finds nothing.
 */
export async function eraseCommenter(db: Db, email: string, now: Date): Promise<EraseResult> {
  return eraseCommenterRows(db, email, now, (commentIds) =>
    commentIds.map((commentId) => ({ moderatorId: null, moderatorName: COMMAND_LINE_ACTOR, action: 'erase', commentId, detail: null, createdAt: now })),
    SPAM_TRAINER,
  );
}
