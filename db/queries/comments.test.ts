import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../testing.ts';
import { countApprovedByPost, findDuplicateComment, hasUnpublishedAmong, insertComment, isApprovedAuthorAmong, listNewestApprovedComments, listThreadRows, type NewCommentRow } from './comments.ts';

const at = new Date('2026-11-01T10:00:00Z');
const row = (over: Partial<NewCommentRow>): NewCommentRow => ({
  postSlug: 'p', status: 'approved', authorName: 'A', authorEmail: 'a@example.com', bodySource: 'x', bodyHtml: '<p>x</p>',
  createdAt: at, updatedAt: at, ...over,
});

describe('comment queries', () => {
  test('a viewer has unpublished comments on a post only when one of theirs there is pending or spam', async () => {
    const db = await createTestDb();
    const approved = await insertComment(db, row({}));
    const pending = await insertComment(db, row({ status: 'pending' }));
    const elsewhere = await insertComment(db, row({ postSlug: 'q', status: 'spam' }));
    assert.equal(await hasUnpublishedAmong(db, 'p', [approved]), false);
    assert.equal(await hasUnpublishedAmong(db, 'p', [approved, elsewhere]), false);
    assert.equal(await hasUnpublishedAmong(db, 'p', [approved, pending]), true);
    assert.equal(await hasUnpublishedAmong(db, 'p', []), false);
  });

  test('counts only approved comments per post', async () => {
    const db = await createTestDb();
    await insertComment(db, row({}));
    await insertComment(db, row({ status: 'pending' }));
    await insertComment(db, row({ postSlug: 'q', status: 'spam' }));
    assert.deepEqual([...await countApprovedByPost(db)], [['p', 1]]);
  });

  test('thread rows: approved, parents of others, and the viewer’s own — never other pending ones', async () => {
    const db = await createTestDb();
    const trashedParent = await insertComment(db, row({ status: 'trash' }));
    const reply = await insertComment(db, row({ parentId: trashedParent }));
    const mine = await insertComment(db, row({ status: 'pending' }));
    const theirs = await insertComment(db, row({ status: 'pending' }));
    const ids = (await listThreadRows(db, 'p', [mine])).map((r) => r.id);
    assert.deepEqual(ids, [trashedParent, reply, mine]);
    assert.ok(!ids.includes(theirs));
  });

  test('proof of authorship: one of the given comments is approved and under this email (any case)', async () => {
    const db = await createTestDb();
    const approved = await insertComment(db, row({ authorEmail: 'Reader@Example.com' }));
    const pending = await insertComment(db, row({ authorEmail: 'reader@example.com', status: 'pending' }));
    assert.equal(await isApprovedAuthorAmong(db, [approved], 'reader@example.COM'), true);
    assert.equal(await isApprovedAuthorAmong(db, [pending], 'reader@example.com'), false);
    assert.equal(await isApprovedAuthorAmong(db, [approved], 'someone@example.com'), false);
    assert.equal(await isApprovedAuthorAmong(db, [], 'reader@example.com'), false);
  });

  test('duplicates: same post and text from the same client or browser, never matched by email', async () => {
    const db = await createTestDb();
    const id = await insertComment(db, row({ bodySource: 'same text', clientHash: 'c1' }));
    assert.equal(await findDuplicateComment(db, 'p', 'same text', { clientHash: 'c1', ownCommentIds: [] }), id);
    assert.equal(await findDuplicateComment(db, 'p', 'same text', { clientHash: 'c2', ownCommentIds: [id] }), id);
    assert.equal(await findDuplicateComment(db, 'p', 'same text', { clientHash: 'c2', ownCommentIds: [] }), undefined);
    assert.equal(await findDuplicateComment(db, 'other-post', 'same text', { clientHash: 'c1', ownCommentIds: [id] }), undefined);
  });

  test('feeds: the newest approved, not erased comments, site-wide or of one post, with nothing private', async () => {
    const db = await createTestDb();
    const minute = (n: number) => new Date(at.getTime() + n * 60_000);
    const old = await insertComment(db, row({ createdAt: minute(1) }));
    await insertComment(db, row({ status: 'pending', createdAt: minute(2) }));
    await insertComment(db, row({ status: 'spam', createdAt: minute(3) }));
    await insertComment(db, row({ erasedAt: minute(9), createdAt: minute(4) }));
    const other = await insertComment(db, row({ postSlug: 'q', createdAt: minute(5) }));
    const newest = await insertComment(db, row({ createdAt: minute(6) }));
    assert.deepEqual((await listNewestApprovedComments(db, { limit: 10 })).map((r) => r.id), [newest, other, old]);
    assert.deepEqual((await listNewestApprovedComments(db, { postSlug: 'p', limit: 10 })).map((r) => r.id), [newest, old]);
    assert.deepEqual((await listNewestApprovedComments(db, { limit: 1 })).map((r) => r.id), [newest]);
    assert.deepEqual(Object.keys((await listNewestApprovedComments(db, { limit: 1 }))[0]).sort(), ['authorName', 'bodyHtml', 'createdAt', 'id', 'postSlug']);
  });
});
