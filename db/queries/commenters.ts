import { asc, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { comments, outgoingMail } from '../schema';
import type { CommentRow } from './comments';
import { COMMAND_LINE_ACTOR, insertModerationLogEntries } from './moderation-log';
import { bumpPostStamps } from './page-stamps';

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

export interface CommenterExport {
  email: string;
  exportedAt: string;
  note: string;
  comments: ExportedComment[];
}

export const EXPORT_NOTE =
  'All comments stored under this email address, with every field kept about them. Network addresses are ' +
  'never stored: each comment keeps only a keyed hash of the sender\'s address for flood control, which cannot ' +
  'be turned back into the address and is not included.';

/** Everything stored about the commenter with this email, ready for JSON. */
export function exportCommenter(db: Db, email: string, now: Date): CommenterExport {
  return {
    email: email.trim(),
    exportedAt: now.toISOString(),
    note: EXPORT_NOTE,
    comments: listCommentsByEmail(db, email).map((row) => ({
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
  };
}

export interface EraseResult {
  /** The comments whose personal data and text were removed. */
  commentIds: number[];
  /** Queued or sent notification mails that quoted the commenter, deleted with them. */
  mailsRemoved: number;
}

/**
 * Removes the commenter's personal data and text while keeping the thread's shape: each of
 * their comments keeps its id, post, parent, status and dates but loses name, email, website,
 * text and client hash, and is marked erased (shown as "comment removed"). Moderator
 * notification mails quoting them are deleted too. One transaction; one log entry per comment.
 * Idempotent: erased comments no longer carry the email, so a second run finds nothing.
 */
export function eraseCommenter(db: Db, email: string, now: Date): EraseResult {
  const wanted = email.trim();
  if (!wanted) return { commentIds: [], mailsRemoved: 0 };
  // IMMEDIATE: take the write lock up front, so a busy server cannot interleave.
  return db.transaction(
    (tx): EraseResult => {
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
      insertModerationLogEntries(
        tx,
        commentIds.map((commentId) => ({
          moderatorId: null,
          moderatorName: COMMAND_LINE_ACTOR,
          action: 'erase',
          commentId,
          detail: null,
          createdAt: now,
        })),
      );
      // Notifications to moderators quote the commenter's name, email and text.
      const mailsRemoved = tx
        .delete(outgoingMail)
        .where(sql`instr(lower(${outgoingMail.textBody}), lower(${wanted})) > 0`)
        .run().changes;
      return { commentIds, mailsRemoved };
    },
    { behavior: 'immediate' },
  );
}
