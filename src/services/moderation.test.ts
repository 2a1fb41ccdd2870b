import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { editComment, loadQueue, moderateComments, parseQueueQuery, replyAsModerator } from './moderation.ts';

const now = new Date('2026-11-25T12:00:00Z');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'p', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'hello', bodyHtml: '<p>hello</p>', createdAt: now, updatedAt: now, ...over,
});
function setup() {
  const db = createTestDb();
  db.$client.prepare("insert into moderators (id, email, name, password_hash, created_at) values (1, 'mia@example.com', 'Mia', 'x', 0)").run();
  return db;
}

describe('moderation service', () => {
  test('bulk approve changes only comments for which it makes sense, and logs each', () => {
    const db = setup();
    const a = insertComment(db, row());
    const b = insertComment(db, row({ status: 'approved' }));
    assert.deepEqual(moderateComments(db, mia, 'approve', [a, b, 999], now), { changed: 1, published: [a] });
    assert.equal(findComment(db, a)!.status, 'approved');
    assert.deepEqual(listModerationLog(db).map((e) => [e.moderatorName, e.action, e.commentId]), [['Mia', 'approve', a]]);
  });

  test('trash then restore brings a comment back to what it was', () => {
    const db = setup();
    const id = insertComment(db, row({ status: 'approved' }));
    moderateComments(db, mia, 'trash', [id], now);
    assert.equal(findComment(db, id)!.status, 'trash');
    moderateComments(db, mia, 'restore', [id], now);
    assert.equal(findComment(db, id)!.status, 'approved');
  });

  test('deleting permanently keeps replies attached to the grandparent', () => {
    const db = setup();
    const root = insertComment(db, row({ status: 'approved' }));
    const middle = insertComment(db, row({ parentId: root, status: 'spam' }));
    const leaf = insertComment(db, row({ parentId: middle, status: 'approved' }));
    moderateComments(db, mia, 'delete', [middle], now);
    assert.equal(findComment(db, middle), undefined);
    assert.equal(findComment(db, leaf)!.parentId, root);
  });

  test('edit re-validates and re-sanitises', () => {
    const db = setup();
    const id = insertComment(db, row());
    assert.deepEqual(editComment(db, mia, id, { name: '', website: '', comment: 'x' }, now), { ok: false, errors: { name: 'name.required' } });
    assert.deepEqual(editComment(db, mia, id, { name: 'Ann B.', website: 'example.org', comment: '<script>x</script> **ok**' }, now), { ok: true });
    const edited = findComment(db, id)!;
    assert.equal(edited.authorUrl, 'https://example.org/');
    assert.ok(!edited.bodyHtml.includes('<script'));
    assert.match(edited.bodyHtml, /<strong>ok<\/strong>/);
  });

  test('a moderator reply is approved, marked as from the site, and approves a pending parent', () => {
    const db = setup();
    const parent = insertComment(db, row());
    const outcome = replyAsModerator(db, mia, parent, { comment: 'We are on it.' }, now);
    assert.equal(outcome.ok, true);
    const reply = findComment(db, (outcome as { id: number }).id)!;
    assert.equal(reply.status, 'approved');
    assert.equal(reply.moderatorId, 1);
    assert.equal(findComment(db, parent)!.status, 'approved');
  });

  test('the queue filters by status, post and text, with counts per status', () => {
    const db = setup();
    insertComment(db, row({ bodySource: 'about billing' }));
    insertComment(db, row({ postSlug: 'q', bodySource: 'about routing' }));
    insertComment(db, row({ status: 'spam', bodySource: 'buy now' }));
    const view = loadQueue(db, parseQueueQuery(new URLSearchParams('q=BILL')));
    assert.deepEqual(view.rows.map((r) => r.bodySource), ['about billing']);
    assert.deepEqual(view.counts, { pending: 2, approved: 0, spam: 1, trash: 0 });
    assert.equal(loadQueue(db, parseQueueQuery(new URLSearchParams('post=q'))).total, 1);
    assert.equal(parseQueueQuery(new URLSearchParams('status=bogus&page=-3')).status, 'pending');
  });
});
