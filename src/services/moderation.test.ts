import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, addTestModerators } from '../../db/testing.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { editComment, loadQueue, moderateComments, parseQueueQuery, replyAsModerator } from './moderation.ts';

const now = new Date('2026-11-25T12:00:00Z');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'p', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'hello', bodyHtml: '<p>hello</p>', createdAt: now, updatedAt: now, ...over,
});
async function setup() {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  return db;
}

describe('moderation service', () => {
  test('bulk approve changes only comments for which it makes sense, and logs each', async () => {
    const db = await setup();
    const a = await insertComment(db, row());
    const b = await insertComment(db, row({ status: 'approved' }));
    assert.deepEqual(await moderateComments(db, mia, 'approve', [a, b, 999], now), { changed: 1, published: [a] });
    assert.equal((await findComment(db, a))!.status, 'approved');
    assert.deepEqual((await listModerationLog(db)).map((e) => [e.moderatorName, e.action, e.commentId]), [['Mia', 'approve', a]]);
  });

  test('trash then restore brings a comment back to what it was', async () => {
    const db = await setup();
    const id = await insertComment(db, row({ status: 'approved' }));
    await moderateComments(db, mia, 'trash', [id], now);
    assert.equal((await findComment(db, id))!.status, 'trash');
    await moderateComments(db, mia, 'restore', [id], now);
    assert.equal((await findComment(db, id))!.status, 'approved');
  });

  test('deleting permanently keeps replies attached to the grandparent', async () => {
    const db = await setup();
    const root = await insertComment(db, row({ status: 'approved' }));
    const middle = await insertComment(db, row({ parentId: root, status: 'spam' }));
    const leaf = await insertComment(db, row({ parentId: middle, status: 'approved' }));
    await moderateComments(db, mia, 'delete', [middle], now);
    assert.equal(await findComment(db, middle), undefined);
    assert.equal((await findComment(db, leaf))!.parentId, root);
  });

  test('edit re-validates and re-sanitises', async () => {
    const db = await setup();
    const id = await insertComment(db, row());
    assert.deepEqual(await editComment(db, mia, id, { name: '', website: '', comment: 'x' }, now), { ok: false, errors: { name: 'name.required' } });
    assert.deepEqual(await editComment(db, mia, id, { name: 'Ann B.', website: 'example.org', comment: '<script>x</script> **ok**' }, now), { ok: true });
    const edited = (await findComment(db, id))!;
    assert.equal(edited.authorUrl, 'https://example.org/');
    assert.ok(!edited.bodyHtml.includes('<script'));
    assert.match(edited.bodyHtml, /<strong>ok<\/strong>/);
  });

  test('a moderator reply is approved, marked as from the site, and approves a pending parent', async () => {
    const db = await setup();
    const parent = await insertComment(db, row());
    const outcome = await replyAsModerator(db, mia, parent, { comment: 'We are on it.' }, now);
    assert.equal(outcome.ok, true);
    const reply = (await findComment(db, (outcome as { id: number }).id))!;
    assert.equal(reply.status, 'approved');
    assert.equal(reply.moderatorId, 1);
    assert.equal((await findComment(db, parent))!.status, 'approved');
  });

  test('the queue filters by status, post and text, with counts per status', async () => {
    const db = await setup();
    await insertComment(db, row({ bodySource: 'about billing' }));
    await insertComment(db, row({ postSlug: 'q', bodySource: 'about routing' }));
    await insertComment(db, row({ status: 'spam', bodySource: 'buy now' }));
    const view = await loadQueue(db, parseQueueQuery(new URLSearchParams('q=BILL')));
    assert.deepEqual(view.rows.map((r) => r.bodySource), ['about billing']);
    assert.deepEqual(view.counts, { pending: 2, approved: 0, spam: 1, trash: 0 });
    assert.equal((await loadQueue(db, parseQueueQuery(new URLSearchParams('post=q')))).total, 1);
    assert.equal(parseQueueQuery(new URLSearchParams('status=bogus&page=-3')).status, 'pending');
  });
});
