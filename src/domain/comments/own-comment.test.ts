import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { changeDeadline, mayChangeOwnComment, statusAfterEdit } from './own-comment.ts';

const createdAt = new Date('2026-11-30T12:00:00Z');
const at = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);
const own = (over: Partial<{ status: string; erasedAt: Date | null }> = {}) => ({ status: 'approved', createdAt, erasedAt: null, ...over });

describe('mayChangeOwnComment', () => {
  test('open for COMMENT_EDIT_MINUTES after posting, the last instant included', () => {
    assert.equal(mayChangeOwnComment(own(), at(0), 15), true);
    assert.equal(mayChangeOwnComment(own(), at(15), 15), true);
    assert.equal(mayChangeOwnComment(own(), new Date(at(15).getTime() + 1), 15), false);
    assert.deepEqual(changeDeadline(own(), 15), at(15));
  });

  test('0 minutes means never', () => {
    assert.equal(mayChangeOwnComment(own(), at(0), 0), false);
    assert.equal(changeDeadline(own(), 0), null);
  });

  test('pending, approved and guard-caught (spam) comments are changeable; trashed and erased ones are not', () => {
    for (const status of ['pending', 'approved', 'spam']) assert.equal(mayChangeOwnComment(own({ status }), at(1), 15), true, status);
    assert.equal(mayChangeOwnComment(own({ status: 'trash' }), at(1), 15), false);
    assert.equal(mayChangeOwnComment(own({ erasedAt: at(0) }), at(1), 15), false);
  });
});

describe('statusAfterEdit', () => {
  test('a verdict on the content wins: links or hold words send it to the queue, a blocked word to spam', () => {
    assert.equal(statusAfterEdit('approved', { status: 'pending', reason: 'too-many-links' }), 'pending');
    assert.equal(statusAfterEdit('approved', { status: 'pending', reason: 'hold-word' }), 'pending');
    assert.equal(statusAfterEdit('approved', { status: 'pending', reason: 'moderator-identity' }), 'pending');
    assert.equal(statusAfterEdit('approved', { status: 'spam', reason: 'block-word' }), 'spam');
    assert.equal(statusAfterEdit('pending', { status: 'spam', reason: 'block-word' }), 'spam');
  });

  test('"unproven author" alone keeps what a moderator decided; a proven author is approved', () => {
    assert.equal(statusAfterEdit('approved', { status: 'pending', reason: 'default' }), 'approved');
    assert.equal(statusAfterEdit('pending', { status: 'pending', reason: 'default' }), 'pending');
    assert.equal(statusAfterEdit('pending', { status: 'approved', reason: 'known-author' }), 'approved');
  });

  test('an edit is no way out of spam or trash', () => {
    assert.equal(statusAfterEdit('spam', { status: 'approved', reason: 'known-author' }), 'spam');
    assert.equal(statusAfterEdit('trash', { status: 'approved', reason: 'known-author' }), 'trash');
  });
});
