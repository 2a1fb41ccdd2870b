import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { findComment } from '../../db/queries/comments.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { loadCommentSection, submitComment, type Submission } from './comments.ts';
import { createFormToken } from './tokens.ts';

const secret = 's'.repeat(64);
const t0 = new Date('2026-11-25T12:00:00Z');
const post: PostSummary = {
  slug: 'outage', title: 'Outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const settings = { COMMENT_FLOOD_SECONDS: 15, COMMENT_MIN_SECONDS: 3, SITE_URL: 'https://blog.example' };

function submission(over: Partial<Submission> & { fields?: Record<string, unknown> } = {}): Submission {
  const now = over.now ?? new Date(t0.getTime() + 10_000);
  return {
    post,
    clientAddress: '192.0.2.1',
    secret,
    now,
    settings,
    ...over,
    fields: { name: 'Ada', email: 'ada@example.com', comment: 'What happened?', token: createFormToken(secret, post.slug, t0), ...over.fields },
  };
}

describe('submitComment', () => {
  test('a valid comment is stored pending with a keyed client hash, never the address', () => {
    const db = createTestDb();
    const outcome = submitComment(db, submission());
    assert.equal(outcome.kind, 'stored');
    const row = findComment(db, (outcome as { id: number }).id)!;
    assert.equal(row.status, 'pending');
    assert.match(row.clientHash!, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes('192.0.2.1'));
  });

  test('invalid input stores nothing and reports every field', () => {
    const db = createTestDb();
    const outcome = submitComment(db, submission({ fields: { name: ' ', email: 'nope', comment: '' } }));
    assert.deepEqual(outcome, { kind: 'invalid', errors: { name: 'name.required', email: 'email.invalid', body: 'body.required' } });
    assert.equal(findComment(db, 1), undefined);
  });

  test('flood control refuses a second comment from the same address within the window', () => {
    const db = createTestDb();
    submitComment(db, submission());
    const second = submitComment(db, submission({ now: new Date(t0.getTime() + 15_000), fields: { comment: 'Another one' } }));
    assert.deepEqual(second, { kind: 'refused', reason: 'flood', retryAfterSeconds: 10 });
    const later = submitComment(db, submission({ now: new Date(t0.getTime() + 26_000), fields: { comment: 'Another one' } }));
    assert.equal(later.kind, 'stored');
  });

  test('a duplicate (same email, post and text) is refused', () => {
    const db = createTestDb();
    submitComment(db, submission({ clientAddress: 'a' }));
    const again = submitComment(db, submission({ clientAddress: 'b', fields: { email: 'ADA@example.com' } }));
    assert.deepEqual(again, { kind: 'refused', reason: 'duplicate' });
  });

  test('bots: honeypot, forged token and too-fast submissions are kept as spam', () => {
    const db = createTestDb();
    const status = (over: Partial<Submission> & { fields?: Record<string, unknown> }, address: string) => {
      const outcome = submitComment(db, submission({ ...over, clientAddress: address }));
      return findComment(db, (outcome as { id: number }).id)!.status;
    };
    assert.equal(status({ fields: { homepage: 'http://spam.example', comment: 'a' } }, '1'), 'spam');
    assert.equal(status({ fields: { token: '123.forged', comment: 'b' } }, '2'), 'spam');
    assert.equal(status({ fields: { token: undefined, comment: 'c' } }, '3'), 'spam');
    assert.equal(status({ now: new Date(t0.getTime() + 1_000), fields: { comment: 'd' } }, '4'), 'spam');
  });

  test('an expired form is refused (the page keeps the text), not stored', () => {
    const db = createTestDb();
    const outcome = submitComment(db, submission({ now: new Date(t0.getTime() + 25 * 60 * 60 * 1000) }));
    assert.deepEqual(outcome, { kind: 'refused', reason: 'expired' });
  });

  test('replies only to approved comments of the same post; closed posts refuse', () => {
    const db = createTestDb();
    const first = submitComment(db, submission()) as { id: number };
    const toPending = submitComment(db, submission({ clientAddress: 'x', fields: { parent: String(first.id), comment: 'reply' } }));
    assert.deepEqual(toPending, { kind: 'refused', reason: 'parentNotFound' });
    db.$client.prepare("update comments set status = 'approved'").run();
    const otherPost = submitComment(db, submission({ post: { ...post, slug: 'other' }, clientAddress: 'y', fields: { parent: String(first.id), comment: 'reply', token: createFormToken(secret, 'other', t0) } }));
    assert.deepEqual(otherPost, { kind: 'refused', reason: 'parentNotFound' });
    const ok = submitComment(db, submission({ clientAddress: 'z', fields: { parent: String(first.id), comment: 'reply' } }));
    assert.equal(ok.kind, 'stored');
    const closed = submitComment(db, submission({ post: { ...post, commentsEnabled: false }, clientAddress: 'w' }));
    assert.deepEqual(closed, { kind: 'refused', reason: 'closed' });
  });

  test('a known author (approved before) is approved at once', () => {
    const db = createTestDb();
    submitComment(db, submission());
    db.$client.prepare("update comments set status = 'approved'").run();
    const second = submitComment(db, submission({ clientAddress: 'other', fields: { comment: 'Follow-up' } }));
    assert.equal(second.kind === 'stored' && second.status, 'approved');
  });
});

describe('loadCommentSection', () => {
  test('shows approved comments and the viewer’s own pending one; a trashed parent becomes a placeholder', () => {
    const db = createTestDb();
    const parent = submitComment(db, submission({ clientAddress: '1' })) as { id: number };
    db.$client.prepare("update comments set status = 'approved'").run();
    const reply = submitComment(db, submission({ clientAddress: '2', fields: { parent: String(parent.id), comment: 'reply' } })) as { id: number };
    const mine = submitComment(db, submission({ clientAddress: '3', fields: { email: 'me@example.com', comment: 'mine' } })) as { id: number };
    db.$client.prepare('update comments set status = ? where id = ?').run('approved', reply.id);
    db.$client.prepare('update comments set status = ? where id = ?').run('trash', parent.id);

    const forMe = loadCommentSection(db, post, [mine.id], null, t0);
    assert.equal(forMe.approvedCount, 1);
    const [placeholder, own] = forMe.tree;
    assert.equal(placeholder.comment.removed, true);
    assert.equal(placeholder.comment.authorName, '');
    assert.equal(placeholder.replies[0].comment.id, reply.id);
    assert.equal(own.comment.pending, true);

    const forOthers = loadCommentSection(db, post, [], null, t0);
    assert.equal(forOthers.tree.length, 1);
  });

  test('a comment the spam guard held is shown to its author as awaiting moderation, to nobody else', () => {
    const db = createTestDb();
    const tooFast = submitComment(db, submission({ now: new Date(t0.getTime() + 1_000) })) as { id: number };
    assert.equal(findComment(db, tooFast.id)!.status, 'spam');
    const [own] = loadCommentSection(db, post, [tooFast.id], null, t0).tree;
    assert.equal(own.comment.pending, true);
    assert.equal(loadCommentSection(db, post, [], null, t0).tree.length, 0);
    // Once a moderator has handled it (restored, then marked spam), it is gone for the author too.
    db.$client.prepare("update comments set previous_status = 'pending'").run();
    assert.equal(loadCommentSection(db, post, [tooFast.id], null, t0).tree.length, 0);
  });
});
