import type { Db } from '../../db/client';
import { listNewestApprovedComments } from '../../db/queries/comments';
import type { PostSummary } from '../domain/posts/posts';
import type { Translator } from '../i18n';
import { commentFeedItems, type CommentFeedItem } from '../render/comment-feed';

/** How many comments a feed carries: the newest ones (feed readers keep what they have seen). */
export const COMMENT_FEED_SIZE = 50;

/** The items of the site-wide comment feed (`post` null) or of one post's, newest first. */
export async function loadCommentFeedItems(db: Db, post: PostSummary | null, posts: readonly PostSummary[], translator: Translator): Promise<CommentFeedItem[]> {
  const rows = await listNewestApprovedComments(db, { postSlug: post?.slug, limit: COMMENT_FEED_SIZE });
  // Comments left on a post file that was removed since have no page to link to.
  const titles = new Map(posts.map((p) => [p.slug, p.title]));
  return commentFeedItems(rows.filter((row) => titles.has(row.postSlug)), titles, translator);
}
