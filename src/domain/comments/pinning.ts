/**
 * Pinned comments: a moderator puts one or a few approved top-level comments (an answer from the
 * team, a correction) at the head of a post's thread. Pure rules, so the queue, the detail page
 * and the server agree on what may be pinned.
 */
import type { CommentNode } from './threading';
import type { CommentStatus, ThreadComment } from './types';

/** At most this many pinned comments per post: a thread where everything is pinned has nothing first. */
export const MAX_PINNED_PER_POST = 3;

export type PinRefusal = 'notApproved' | 'notTopLevel' | 'tooMany';

/** What the pin rules need to know about a comment. */
export interface PinCandidate {
  status: CommentStatus;
  parentId: number | null;
  erasedAt: Date | null;
}

/**
 * Whether a comment may be pinned, given how many other comments of its post are pinned now.
 * Only approved, top-level, not erased comments: a reply is read in its thread, and a pending
 * or removed comment is not public.
 */
export function checkPin(comment: PinCandidate, otherPinnedOnPost: number): { ok: true } | { ok: false; reason: PinRefusal } {
  if (comment.status !== 'approved' || comment.erasedAt) return { ok: false, reason: 'notApproved' };
  if (comment.parentId !== null) return { ok: false, reason: 'notTopLevel' };
  if (otherPinnedOnPost >= MAX_PINNED_PER_POST) return { ok: false, reason: 'tooMany' };
  return { ok: true };
}

/** Whether the queue and the detail page offer Pin (Unpin is offered for any pinned comment). */
export function canOfferPin(comment: PinCandidate & { pinnedAt: Date | null }): boolean {
  return comment.pinnedAt === null && comment.status === 'approved' && comment.parentId === null && !comment.erasedAt;
}

/**
 * The thread with pinned top-level comments first (in the order they were pinned), the others
 * after them in their own order. Replies stay under their comment. Stable; returns a new array.
 */
export function pinnedFirst<T extends ThreadComment & { pinnedAt: Date | null }>(tree: readonly CommentNode<T>[]): CommentNode<T>[] {
  const pinned = tree.filter((node) => node.comment.pinnedAt !== null);
  if (pinned.length === 0) return [...tree];
  pinned.sort((a, b) => a.comment.pinnedAt!.getTime() - b.comment.pinnedAt!.getTime() || a.comment.id - b.comment.id);
  return [...pinned, ...tree.filter((node) => node.comment.pinnedAt === null)];
}
