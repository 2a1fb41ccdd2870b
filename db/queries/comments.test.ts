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
  test('a viewer has unpublished comments on a post only when one of theirs there is pending or spam', () => {
    const db = createTestDb();
    const approved = insertComment(db, row({}));
    const pending = insertComment(db, row({ status: 'pending' }));
    const elsewhere = insertComment(db, row({ postSlug: 'q', status: 'spam' }));
    assert.equal(hasUnpublishedAmong(db, 'p', [approved]), false);
    assert.equal(hasUnpublishedAmong(db, 'p', [approved, elsewhere]), false);
    assert.equal(hasUnpublishedAmong(db, 'p', [approved, pending]), true);
    assert.equal(hasUnpublishedAmong(db, 'p', []), false);
  });

  test('counts only approved comments per post', () => {
    const db = createTestDb();
    insertComment(db, row({}));
    insertComment(db, row({ status: 'pending' }));
    insertComment(db, row({ postSlug: 'q', status: 'spam' }));
    assert.deepEqual([...countApprovedByPost(db)], [['p', 1]]);
  });

  test('thread rows: approved, parents of others, and the viewer’s own — never other pending ones', () => {
    const db = createTestDb();
    const trashedParent = insertComment(db, row({ status: 'trash' }));
    const reply = insertComment(db, row({ parentId: trashedParent }));
    const mine = insertComment(db, row({ status: 'pending' }));
    const theirs = insertComment(db, row({ status: 'pending' }));
    const ids = listThreadRows(db, 'p', [mine]).map((r) => r.id);
    assert.deepEqual(ids, [trashedParent, reply, mine]);
    assert.ok(!ids.includes(theirs));
  });

  test('proof of authorship: one of the given comments is approved and under this email (any case)', () => {
    const db = createTestDb();
    const approved = insertComment(db, row({ authorEmail: 'Reader@Example.com' }));
    const pending = insertComment(db, row({ authorEmail: 'reader@example.com', status: 'pending' }));
    assert.equal(isApprovedAuthorAmong(db, [approved], 'reader@example.COM'), true);
    assert.equal(isApprovedAuthorAmong(db, [pending], 'reader@example.com'), false);
    assert.equal(isApprovedAuthorAmong(db, [approved], 'someone@example.com'), false);
    assert.equal(isApprovedAuthorAmong(db, [], 'reader@example.com'), false);
  });

  test('duplicates: same post and text from the same client or browser, never matched by email', () => {
    const db = createTestDb();
    const id = insertComment(db, row({ bodySource: 'same text', clientHash: 'c1' }));
    assert.equal(findDuplicateComment(db, 'p', 'same text', { clientHash: 'c1', ownCommentIds: [] }), id);
    assert.equal(findDuplicateComment(db, 'p', 'same text', { clientHash: 'c2', ownCommentIds: [id] }), id);
    assert.equal(findDuplicateComment(db, 'p', 'same text', { clientHash: 'c2', ownCommentIds: [] }), undefined);
    assert.equal(findDuplicateComment(db, 'other-post', 'same text', { clientHash: 'c1', ownCommentIds: [id] }), undefined);
  });

  test('feeds: the newest approved, not erased comments, site-wide or of one post, with nothing private', async () => {
    const db = createTestDb();
    const minute = (n: number) => new Date(at.getTime() + n * 60_000);
    const old = insertComment(db, row({ createdAt: minute(1) }));
    insertComment(db, row({ status: 'pending', createdAt: minute(2) }));
    insertComment(db, row({ status: 'spam', createdAt: minute(3) }));
    insertComment(db, row({ erasedAt: minute(9), createdAt: minute(4) }));
    const other = insertComment(db, row({ postSlug: 'q', createdAt: minute(5) }));
    const newest = insertComment(db, row({ createdAt: minute(6) }));
    assert.deepEqual((await listNewestApprovedComments(db, { limit: 10 })).map((r) => r.id), [newest, other, old]);
    assert.deepEqual((await listNewestApprovedComments(db, { postSlug: 'p', limit: 10 })).map((r) => r.id), [newest, old]);
    assert.deepEqual((await listNewestApprovedComments(db, { limit: 1 })).map((r) => r.id), [newest]);
    assert.deepEqual(Object.keys((await listNewestApprovedComments(db, { limit: 1 }))[0]).sort(), ['authorName', 'bodyHtml', 'createdAt', 'id', 'postSlug']);
  });
});
