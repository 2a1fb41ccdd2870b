import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import type { DbConnection } from '../../db/client.ts';
import { findComment, insertComment } from '../../db/queries/comments.ts';
import { eraseCommenter } from './commenters.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { postScope, readPageStamp } from '../../db/queries/page-stamps.ts';
import { createReplySubscription } from '../../db/queries/reply-subscriptions.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import type { CommentStatus } from '../domain/comments/types.ts';
import { loadCommentSection } from './comments.ts';
import { deleteOwn, editOwnComment, loadOwnCommentStates, type OwnAccess } from './own-comments.ts';

const t0 = new Date('2026-11-30T12:00:00Z');
const post: PostSummary = {
  slug: 'outage', title: 'The outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const fields = { name: 'Ada', email: 'ada@example.com', website: '', comment: 'Fixed a typo' };

async function addComment(db: DbConnection, over: { status?: CommentStatus; parentId?: number; email?: string; body?: string } = {}): Promise<number> {
  return insertComment(db, {
    postSlug: post.slug,
    parentId: over.parentId ?? null,
    status: over.status ?? 'approved',
    authorName: 'Ada',
    authorEmail: over.email ?? 'ada@example.com',
    bodySource: over.body ?? 'Original text',
    bodyHtml: `<p>${over.body ?? 'Original text'}</p>`,
    decisionReason: 'default',
    createdAt: t0,
    updatedAt: t0,
  });
}

const access = (ids: number[], minutes = 5): OwnAccess => ({ ownCommentIds: ids, now: new Date(t0.getTime() + minutes * 60_000), editMinutes: 15 });
const stamp = (db: DbConnection) => readPageStamp(db, postScope(post.slug));

describe('editing one\'s own comment', () => {
  test('only from the browser that wrote it, and only within the window', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    assert.deepEqual(await editOwnComment(db, id, fields, access([])), { kind: 'refused', refusal: { reason: 'notYours' } });
    assert.deepEqual(await editOwnComment(db, id, fields, access([id], 16)), { kind: 'refused', refusal: { reason: 'editWindowClosed' } });
    assert.deepEqual(await editOwnComment(db, 999, fields, access([999])), { kind: 'refused', refusal: { reason: 'commentNotFound' } });
    assert.equal((await findComment(db, id))!.bodySource, 'Original text');
  });

  test('invalid input reports every field and changes nothing', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    const outcome = await editOwnComment(db, id, { name: '', email: 'nope', website: 'ftp://x', comment: ' ' }, access([id]));
    assert.deepEqual(outcome, { kind: 'invalid', errors: { name: 'name.required', email: 'email.invalid', website: 'website.invalid', body: 'body.required' } });
    assert.equal((await findComment(db, id))!.editedAt, null);
  });

  test('a typo fix keeps an approved comment published, shows the new text and is logged with the old one', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    const before = await stamp(db);
    assert.deepEqual(await editOwnComment(db, id, fields, access([id])), { kind: 'saved', postSlug: 'outage', status: 'approved' });
    const row = (await findComment(db, id))!;
    assert.equal(row.bodySource, 'Fixed a typo');
    assert.ok(row.editedAt);
    assert.ok(await stamp(db) > before, 'cached pages of the post are invalidated');
    const [entry] = await listModerationLog(db);
    assert.deepEqual([entry.moderatorName, entry.action, entry.commentId], ['commenter', 'commenter-edit', id]);
    assert.match(entry.detail!, /before: Original text/);
    assert.equal((await loadCommentSection(db, post, [], null, t0)).tree[0].comment.edited, true);
  });

  test('an edit that adds links sends a published comment back to the queue, out of the public thread', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    const links = 'See https://a.example https://b.example https://c.example';
    const outcome = await editOwnComment(db, id, { ...fields, comment: links }, access([id]));
    assert.deepEqual(outcome, { kind: 'saved', postSlug: 'outage', status: 'pending' });
    assert.equal((await findComment(db, id))!.decisionReason, 'too-many-links');
    assert.equal((await loadCommentSection(db, post, [], null, t0)).tree.length, 0, 'readers no longer see it');
    assert.equal((await loadCommentSection(db, post, [id], null, t0)).tree[0].comment.pending, true, 'its author sees it awaiting moderation');
  });
});

describe('deleting one\'s own comment', () => {
  test('without published replies it is gone for good (and its subscription with it)', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    await createReplySubscription(db, { commentId: id, email: 'ada@example.com', confirmed: true, now: t0 });
    assert.deepEqual(await deleteOwn(db, id, access([])), { kind: 'refused', refusal: { reason: 'notYours' } });
    assert.deepEqual(await deleteOwn(db, id, access([id])), { kind: 'deleted', postSlug: 'outage' });
    assert.equal(await findComment(db, id), undefined);
    assert.deepEqual(await loadOwnCommentStates(db, post.slug, access([id])), []);
    assert.deepEqual((await listModerationLog(db)).map((e) => [e.action, e.commentId]), [['commenter-delete', id]]);
    assert.deepEqual(await deleteOwn(db, id, access([id])), { kind: 'refused', refusal: { reason: 'commentNotFound' } });
  });

  test('with a published reply it stays as "comment removed", its words and address gone', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    await addComment(db, { parentId: id, email: 'bob@example.com', body: 'An answer' });
    await deleteOwn(db, id, access([id]));
    const row = (await findComment(db, id))!;
    assert.deepEqual([row.status, row.authorEmail, row.bodySource], ['trash', '', '']);
    const [top] = (await loadCommentSection(db, post, [], null, t0)).tree;
    assert.equal(top.comment.removed, true);
    assert.equal(top.replies.length, 1);
  });

  test('past the window it is refused', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    assert.deepEqual(await deleteOwn(db, id, access([id], 15.01)), { kind: 'refused', refusal: { reason: 'editWindowClosed' } });
    assert.ok(await findComment(db, id));
  });
});

describe('what the author sees on their comments', () => {
  test('Edit/Delete while the window is open, and the state of reply notifications', async () => {
    const db = await createTestDb();
    const a = await addComment(db);
    const b = await addComment(db, { status: 'pending' });
    await createReplySubscription(db, { commentId: a, email: 'ada@example.com', confirmed: false, now: t0 });
    await createReplySubscription(db, { commentId: b, email: 'ada@example.com', confirmed: true, now: t0 });
    const states = await loadOwnCommentStates(db, post.slug, access([a, b]));
    assert.deepEqual(states.sort((x, y) => x.id - y.id), [
      { id: a, changeable: true, notify: 'pending' },
      { id: b, changeable: true, notify: 'active' },
    ]);
    const later = await loadOwnCommentStates(db, post.slug, access([a, b], 20));
    assert.ok(later.every((s) => !s.changeable));
  });

  test('erasing the commenter also forgets the text kept in the edit history', async () => {
    const db = await createTestDb();
    const id = await addComment(db);
    await editOwnComment(db, id, fields, access([id]));
    await eraseCommenter(db, 'ada@example.com', t0);
    const edit = (await listModerationLog(db)).find((e) => e.action === 'commenter-edit')!;
    assert.equal(edit.detail, null);
  });
});
