/**
 * A small paginated thread for tests of comment pages and comment locations:
 * five top-level threads, the second with a reply and a nested reply.
 */
import { insertComment } from '../../../db/queries/comments.ts';
import { createTestDb } from '../../../db/testing.ts';
import type { CommentStatus } from '../../domain/comments/types.ts';
import type { PostSummary } from '../../domain/posts/posts.ts';

export const post: PostSummary = {
  slug: 'long-thread', title: 'Long thread', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const t0 = Date.parse('2026-11-20T08:00:00Z');
export const now = new Date('2026-11-30T08:00:00Z');

/** Stores a comment `minute` minutes into the thread and returns its id. */
export async function add(db: Awaited<ReturnType<typeof createTestDb>>, minute: number, parentId: number | null = null, status: CommentStatus = 'approved'): Promise<number> {
  const at = new Date(t0 + minute * 60_000);
  return insertComment(db, {
    postSlug: post.slug, parentId, status, authorName: `Reader ${minute}`, authorEmail: `r${minute}@example.com`,
    bodySource: `Comment ${minute}`, bodyHtml: `<p>Comment ${minute}</p>`, createdAt: at, updatedAt: at,
  });
}

/** Five top-level threads (ids in order), the second with a reply and a nested reply. */
export async function thread() {
  const db = await createTestDb();
  const roots = [await add(db, 0), await add(db, 1), await add(db, 2), await add(db, 3), await add(db, 4)];
  const reply = await add(db, 10, roots[1]);
  const nested = await add(db, 11, reply);
  return { db, roots, reply, nested };
}
