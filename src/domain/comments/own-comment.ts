/**
 * What a commenter may do to their own comment from the browser that wrote it (the signed
 * `aw_own` cookie proves that): edit or delete it within COMMENT_EDIT_MINUTES of writing it.
 * And what an edit does to its status: the moderation rules run again. Pure.
 */
import type { Decision } from './rules';
import type { CommentStatus } from './types';

export interface OwnComment {
  status: string;
  createdAt: Date;
  erasedAt: Date | null;
}

/** When the window closes (null: never open, `COMMENT_EDIT_MINUTES=0`). */
export function changeDeadline(comment: Pick<OwnComment, 'createdAt'>, editMinutes: number): Date | null {
  return editMinutes > 0 ? new Date(comment.createdAt.getTime() + editMinutes * 60_000) : null;
}

/**
 * Whether the author may still edit or delete it: inside the window (the last instant
 * included), and not trashed by a moderator or erased. A comment the spam guard caught looks
 * "awaiting moderation" to its author, so it stays editable like a pending one.
 */
export function mayChangeOwnComment(comment: OwnComment, now: Date, editMinutes: number): boolean {
  const deadline = changeDeadline(comment, editMinutes);
  if (!deadline || now.getTime() > deadline.getTime()) return false;
  if (comment.erasedAt) return false;
  return comment.status === 'pending' || comment.status === 'approved' || comment.status === 'spam';
}

/** Reasons that hold or reject a comment on their own merits (not merely for want of proof of who wrote it). */
const CONTENT_VERDICTS: ReadonlySet<string> = new Set(['block-word', 'hold-word', 'too-many-links', 'moderator-identity']);

/**
 * The status after the author's edit, from the rules' verdict on the edited text. A verdict on
 * the content wins (an edit adding links goes back to the queue; a blocked word to spam). A
 * verdict that only says "unproven author" ('default') keeps the status a moderator gave it, so
 * fixing a typo does not unpublish. Spam stays spam: an edit is no way out of the spam folder.
 */
export function statusAfterEdit(current: CommentStatus, decision: Decision): CommentStatus {
  if (current === 'spam' || current === 'trash') return current;
  if (decision.status === 'spam') return 'spam';
  if (CONTENT_VERDICTS.has(decision.reason)) return decision.status;
  if (decision.status === 'approved') return 'approved';
  return current;
}
