import { paginate, postsByAuthor, postsWithTag, type Page, type PostSummary } from '../../domain/posts/posts';
import { getAuthor, type Author } from '../content/authors';
import { db } from '../app';
import { listPosts } from '../content/posts';
import { approvedCommentCounts } from '../../services/comments';

export interface PostListing {
  page: Page<PostSummary>;
  commentCounts: Map<string, number>;
}

/** One page of the index with approved-comment counts, or null when the page does not exist. */
export async function getIndexPage(page: number): Promise<PostListing | null> {
  const found = paginate(await listPosts(), page);
  return found && { page: found, commentCounts: await approvedCommentCounts(db()) };
}

/** Posts with a tag and their counts; null for a tag no post has. */
export async function getTagListing(tag: string): Promise<{ posts: PostSummary[]; commentCounts: Map<string, number> } | null> {
  const posts = postsWithTag(await listPosts(), tag);
  return posts.length ? { posts, commentCounts: await approvedCommentCounts(db()) } : null;
}

/** An author with their posts and counts; null for an unknown author id. */
export async function getAuthorListing(id: string): Promise<{ author: Author; posts: PostSummary[]; commentCounts: Map<string, number> } | null> {
  const author = await getAuthor(id);
  return author ? { author, posts: postsByAuthor(await listPosts(), author.name), commentCounts: await approvedCommentCounts(db()) } : null;
}
