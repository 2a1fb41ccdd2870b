import type { Db } from '../../db/client';
import { findComment } from '../../db/queries/comments';
import { commentPageQuery, pageOfThread, threadIndexOf, type CommentOrder } from '../domain/comments/pagination';
import type { PostSummary } from '../domain/posts/posts';
import { loadCommentSection } from './comments';

/**
 * The address that shows comment `id` of `post` to this viewer: its top-level thread's comment
 * page in `order`, at `#comment-<id>`; null when the viewer cannot see it (pending for someone
 * else, spam, trash, another post's). The viewer's own pending comments count, so a commenter
 * lands on the page where their comment awaits moderation.
 */
export async function locateComment(db: Db, post: PostSummary, id: number, viewerPendingIds: readonly number[], order: CommentOrder, perPage: number, now: Date): Promise<string | null> {
  const { tree } = await loadCommentSection(db, post, viewerPendingIds, null, now);
  const index = threadIndexOf(tree, id);
  if (index === -1) return null;
  const page = pageOfThread(index, tree.length, order, perPage);
  return `/posts/${post.slug}${commentPageQuery({ page, order })}#comment-${id}`;
}

/** The post a comment belongs to (any status: `locateComment` decides what the viewer may see). */
export async function commentPostSlug(db: Db, id: number): Promise<string | null> {
  return (await findComment(db, id))?.postSlug ?? null;
}
