import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { insertComment } from '../../db/queries/comments.ts';
import type { CommentStatus } from '../domain/comments/types.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { locateComment } from './comment-location.ts';

const post: PostSummary = {
  slug: 'long-thread', title: 'Long thread', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const t0 = Date.parse('2026-11-20T08:00:00Z');
const now = new Date('2026-11-30T08:00:00Z');

/** Stores a comment `minute` minutes into the thread and returns its id. */
async function add(db: Awaited<ReturnType<typeof createTestDb>>, minute: number, parentId: number | null = null, status: CommentStatus = 'approved'): Promise<number> {
  const at = new Date(t0 + minute * 60_000);
  return insertComment(db, {
    postSlug: post.slug, parentId, status, authorName: `Reader ${minute}`, authorEmail: `r${minute}@example.com`,
    bodySource: `Comment ${minute}`, bodyHtml: `<p>Comment ${minute}</p>`, createdAt: at, updatedAt: at,
  });
}

/** Five top-level threads (ids in order), the second with a reply and a nested reply. */
async function thread() {
  const db = await createTestDb();
  const roots = [await add(db, 0), await add(db, 1), await add(db, 2), await add(db, 3), await add(db, 4)];
  const reply = await add(db, 10, roots[1]);
  const nested = await add(db, 11, reply);
  return { db, roots, reply, nested };
}

describe('locateComment', () => {
  test('a top-level comment, a reply and a nested reply land on their thread\'s page', async () => {
    const { db, roots, reply, nested } = await thread();
    assert.equal(await locateComment(db, post, roots[0], [], 'oldest', 2, now), `/posts/long-thread#comment-${roots[0]}`);
    assert.equal(await locateComment(db, post, roots[2], [], 'oldest', 2, now), `/posts/long-thread?cpage=2#comment-${roots[2]}`);
    assert.equal(await locateComment(db, post, reply, [], 'oldest', 2, now), `/posts/long-thread#comment-${reply}`);
    assert.equal(await locateComment(db, post, nested, [], 'oldest', 2, now), `/posts/long-thread#comment-${nested}`);
    assert.equal(await locateComment(db, post, roots[4], [], 'oldest', 2, now), `/posts/long-thread?cpage=3#comment-${roots[4]}`);
  });

  test('newest first counts from the latest thread', async () => {
    const { db, roots, nested } = await thread();
    assert.equal(await locateComment(db, post, roots[4], [], 'newest', 2, now), `/posts/long-thread?corder=newest#comment-${roots[4]}`);
    assert.equal(await locateComment(db, post, nested, [], 'newest', 2, now), `/posts/long-thread?cpage=2&corder=newest#comment-${nested}`);
    assert.equal(await locateComment(db, post, roots[0], [], 'newest', 2, now), `/posts/long-thread?cpage=3&corder=newest#comment-${roots[0]}`);
  });

  test('a pending comment is found for its author only; spam never', async () => {
    const { db } = await thread();
    const pending = await add(db, 20, null, 'pending');
    const spam = await add(db, 21, null, 'spam');
    assert.equal(await locateComment(db, post, pending, [], 'oldest', 2, now), null);
    // Its author sees it as a sixth thread: page 3.
    assert.equal(await locateComment(db, post, pending, [pending], 'oldest', 2, now), `/posts/long-thread?cpage=3#comment-${pending}`);
    assert.equal(await locateComment(db, post, spam, [], 'oldest', 2, now), null);
    assert.equal(await locateComment(db, post, 9999, [], 'oldest', 2, now), null);
  });
});
