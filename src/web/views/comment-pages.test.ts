import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../../db/testing.ts';
import { insertComment } from '../../../db/queries/comments.ts';
import type { CommentStatus } from '../../domain/comments/types.ts';
import type { PostSummary } from '../../domain/posts/posts.ts';
import { createTranslator } from '../../i18n/index.ts';
import { loadThreadSection, locateInThread } from './thread-fragment.ts';
import { locateComment } from '../../services/comment-location.ts';

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

describe('loadThreadSection with pages', () => {
  const en = createTranslator('en');
  test('each page shows its threads with replies, and knows how many pages there are', async () => {
    const { db, roots, reply, nested } = await thread();
    const first = await loadThreadSection(db, post, [], null, now, en, { pageRequest: { page: 1, order: 'oldest' }, perPage: 2 });
    assert.deepEqual(first.pagination, { page: 1, pageCount: 3, order: "oldest", threadCount: 5 });
    assert.deepEqual(first.pageTree.map((n) => n.comment.id), [roots[0], roots[1]]);
    for (const id of [roots[0], roots[1], reply, nested]) assert.ok(first.threadHtml.includes(`id="comment-${id}"`), `comment ${id} on page 1`);
    assert.ok(!first.threadHtml.includes(`id="comment-${roots[2]}"`));
    // The count is the post's, not the page's.
    assert.equal(first.approvedCount, 7);

    const newest = await loadThreadSection(db, post, [], null, now, en, { pageRequest: { page: 1, order: 'newest' }, perPage: 2 });
    assert.deepEqual(newest.pageTree.map((n) => n.comment.id), [roots[4], roots[3]]);
    // Permalinks name the default-order page, reply links keep the current one.
    assert.ok(newest.threadHtml.includes(`href="/posts/long-thread?cpage=3#comment-${roots[4]}"`));
    assert.ok(newest.threadHtml.includes(`href="/posts/long-thread?cpage=2#comment-${roots[3]}"`));
    assert.ok(newest.threadHtml.includes(`href="?corder=newest&amp;replyto=${roots[4]}#respond"`));
  });

  test('a page past the end is clamped to the last; a reply target on another page is still named', async () => {
    const { db, roots } = await thread();
    const section = await loadThreadSection(db, post, [], roots[0], now, en, { pageRequest: { page: 7, order: 'oldest' }, perPage: 2 });
    assert.equal(section.pagination.page, 3);
    assert.deepEqual(section.replyTarget, { id: roots[0], authorName: 'Reader 0' });
  });
});

describe('locateInThread (/comments/<id>)', () => {
  test('finds each comment’s page from the kept thread, as loading the whole thread would; a viewer’s own pending comment on their page; others’ pending nowhere', async () => {
    const { db, roots, reply, nested } = await thread();
    const pending = await add(db, 20, roots[4], 'pending');
    const options = { perPage: 2, now, avatarSecret: 'a'.repeat(64) };
    for (const id of [...roots, reply, nested]) {
      assert.equal(await locateInThread(db, post, id, [], options), await locateComment(db, post, id, [], 'oldest', 2, now), `comment ${id}`);
    }
    assert.equal(await locateInThread(db, post, nested, [], options), `/posts/${post.slug}#comment-${nested}`);
    assert.equal(await locateInThread(db, post, roots[4], [], options), `/posts/${post.slug}?cpage=3#comment-${roots[4]}`);
    assert.equal(await locateInThread(db, post, pending, [], options), null);
    assert.equal(await locateInThread(db, post, pending, [pending], options), `/posts/${post.slug}?cpage=3#comment-${pending}`);
    assert.equal(await locateInThread(db, post, 999, [], options), null);
  });
});
