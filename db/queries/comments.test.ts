import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../testing.ts';
import { countApprovedByPost, emailHasApprovedComment, findDuplicateComment, insertComment, listThreadRows, type NewCommentRow } from './comments.ts';

const at = new Date('2026-11-01T10:00:00Z');
const row = (over: Partial<NewCommentRow>): NewCommentRow => ({
  postSlug: 'p', status: 'approved', authorName: 'A', authorEmail: 'a@example.com', bodySource: 'x', bodyHtml: '<p>x</p>',
  createdAt: at, updatedAt: at, ...over,
});

describe('comment queries', () => {
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

  test('known authors and duplicates match emails case-insensitively', () => {
    const db = createTestDb();
    insertComment(db, row({ authorEmail: 'Reader@Example.com', bodySource: 'same text' }));
    assert.equal(emailHasApprovedComment(db, 'reader@example.COM'), true);
    assert.ok(findDuplicateComment(db, 'p', 'READER@example.com', 'same text'));
    assert.equal(findDuplicateComment(db, 'other-post', 'reader@example.com', 'same text'), undefined);
  });
});
