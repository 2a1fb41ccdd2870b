// A comment a moderator unapproves while it has an approved reply: every reader sees
// "comment removed" in its place (no name, no text) with the reply still under it.
// Run: node --import tsx --test src/services/unapproved-parent.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, addTestModerators } from '../../db/testing.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { loadCommentSection } from './comments.ts';
import { moderateComments } from './moderation.ts';

const now = new Date('2026-11-25T12:00:00Z');
const post: PostSummary = {
  slug: 'outage', title: 'Outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const row = (over: Partial<NewCommentRow>): NewCommentRow => ({
  postSlug: post.slug, status: 'approved', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'x', bodyHtml: '<p>x</p>', createdAt: now, updatedAt: now, ...over,
});

describe('unapproving a comment that has an approved reply', () => {
  test('every reader sees "comment removed" with the reply kept under it', async () => {
    const db = await createTestDb();
    await addTestModerators(db, ['mia@example.com', 'Mia']);
    const parent = await insertComment(db, row({ authorName: 'Parent Author', authorUrl: 'https://parent.example/', bodySource: 'The parent text', bodyHtml: '<p>The parent text</p>' }));
    const reply = await insertComment(db, row({ parentId: parent, authorName: 'Replier', bodySource: 'The reply', bodyHtml: '<p>The reply</p>', createdAt: new Date(now.getTime() + 60_000) }));
    // Another reader with a pending comment of their own (their cookie lists it).
    const otherPending = await insertComment(db, row({ status: 'pending', authorName: 'Waiting', createdAt: new Date(now.getTime() + 120_000) }));

    assert.deepEqual(await moderateComments(db, mia, 'unapprove', [parent], now), { changed: 1, published: [] });
    assert.equal((await findComment(db, parent))!.status, 'pending');

    for (const [viewer, ownIds] of [['a reader without cookies', []], ['the reply’s author', [reply]], ['a reader with a pending comment', [otherPending]]] as const) {
      const section = await loadCommentSection(db, post, ownIds, null, now);
      const top = section.tree.find((node) => node.comment.id === parent);
      assert.ok(top, `${viewer}: the unapproved comment keeps its place`);
      assert.equal(top.comment.removed, true, `${viewer}: shown as removed`);
      assert.equal(top.comment.authorName, '', viewer);
      assert.equal(top.comment.authorUrl, null, viewer);
      assert.equal(top.comment.bodyHtml, '', viewer);
      assert.deepEqual(top.replies.map((r) => [r.comment.id, r.comment.authorName, r.comment.bodyHtml]), [[reply, 'Replier', '<p>The reply</p>']], viewer);
      assert.ok(!JSON.stringify(section).includes('Parent Author'), `${viewer}: the name is nowhere in the page data`);
      assert.ok(!JSON.stringify(section).includes('The parent text'), `${viewer}: the text is nowhere in the page data`);
      assert.equal(section.approvedCount, 1, `${viewer}: only the reply counts`);
    }

    // Approved again, it is back for everyone.
    await moderateComments(db, mia, 'approve', [parent], now);
    const [back] = (await loadCommentSection(db, post, [], null, now)).tree;
    assert.equal(back.comment.removed, false);
    assert.equal(back.comment.authorName, 'Parent Author');
  });
});
