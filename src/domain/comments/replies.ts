import type { CommentStatus, PublicComment } from './types';

/**
 * The one rule for answering a comment: only a published comment of the same post, not erased,
 * takes replies. `acceptsReplies` applies it to a stored comment (a submitted reply, `?replyto=`
 * on a refused form); `showsReplyLink` to a comment as a thread shows it (its reply link), where
 * "published and not erased" reads "neither the viewer's pending one nor a removed placeholder".
 */
export function acceptsReplies(comment: { postSlug: string; status: CommentStatus; erasedAt: Date | null }, postSlug: string): boolean {
  return comment.postSlug === postSlug && comment.status === 'approved' && comment.erasedAt === null;
}

export function showsReplyLink(comment: Pick<PublicComment, 'pending' | 'removed'>): boolean {
  return !comment.pending && !comment.removed;
}
