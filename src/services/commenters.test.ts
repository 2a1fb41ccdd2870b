import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addTestModerators, createTestDb, sqliteOf, sqliteOnly } from '../../db/testing.ts';
import { enqueueMail } from '../../db/queries/mail.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listCommentsByEmail } from '../../db/queries/commenters.ts';
import { eraseCommenter, exportCommenter } from './commenters.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { SPAM_TRAINER } from '../domain/comments/spam-filter.ts';
import { learnUntrainedComments, readSpamFilterTotals, readSpamModelFor } from '../../db/queries/spam-filter.ts';
import { enqueueWebhooks, listRecentWebhookDeliveries } from '../../db/queries/webhooks.ts';
import { isAuthorBlockedIn, listBlockedAuthors } from '../../db/queries/author-blocks.ts';
import { blockAuthor } from './author-moderation.ts';

const at = new Date('2026-11-01T10:00:00Z');
const now = new Date('2026-12-24T08:30:00Z');
const row = (over: Partial<NewCommentRow>): NewCommentRow => ({
  postSlug: 'outage', status: 'approved', authorName: 'Rita Reader', authorEmail: 'Rita@Example.com', authorUrl: 'https://rita.example',
  bodySource: 'What caused it?', bodyHtml: '<p>What caused it?</p>', clientHash: 'h1', createdAt: at, updatedAt: at, ...over,
});

/** Rita's comments on two posts (one pending, one a reply to Otto), and Otto's, with replies to Rita. */
async function seed() {
  const db = await createTestDb();
  const ritaRoot = await insertComment(db, row({}));
  const ottoReply = await insertComment(db, row({ parentId: ritaRoot, authorName: 'Otto', authorEmail: 'otto@example.com', authorUrl: null, bodySource: 'DNS.', bodyHtml: '<p>DNS.</p>', createdAt: new Date(at.getTime() + 1000) }));
  const ritaReply = await insertComment(db, row({ parentId: ottoReply, authorEmail: 'rita@example.COM', bodySource: 'Thanks', bodyHtml: '<p>Thanks</p>', createdAt: new Date(at.getTime() + 2000) }));
  const ritaPending = await insertComment(db, row({ postSlug: 'other', status: 'pending', authorUrl: null, createdAt: new Date(at.getTime() + 3000) }));
  return { db, ritaRoot, ottoReply, ritaReply, ritaPending };
}

describe('commenter export', () => {
  test('lists every comment of that email, any status, matched case-insensitively, oldest first', async () => {
    const { db, ritaRoot, ottoReply, ritaReply, ritaPending } = await seed();
    const data = await exportCommenter(db, '  RITA@example.com ', now);
    assert.equal(data.email, 'RITA@example.com');
    assert.equal(data.exportedAt, '2026-12-24T08:30:00.000Z');
    assert.match(data.note, /keyed hash/);
    assert.deepEqual(data.comments.map((c) => c.id), [ritaRoot, ritaReply, ritaPending]);
    assert.deepEqual(data.comments[1], {
      id: ritaReply, post: 'outage', parentId: ottoReply, status: 'approved', name: 'Rita Reader', email: 'rita@example.COM',
      website: 'https://rita.example', text: 'Thanks', createdAt: '2026-11-01T10:00:02.000Z', updatedAt: '2026-11-01T10:00:00.000Z', erasedAt: null,
    });
    assert.equal(data.comments[2].status, 'pending');
    assert.equal(data.comments[2].post, 'other');
  });

  test('never includes the client hash or the rendered HTML', async () => {
    const { db } = await seed();
    const json = JSON.stringify(await exportCommenter(db, 'rita@example.com', now));
    assert.ok(!json.includes('"h1"'));
    assert.ok(!json.includes('<p>'));
  });

  test('an unknown or empty email gives an empty list', async () => {
    const { db } = await seed();
    assert.deepEqual((await exportCommenter(db, 'nobody@example.com', now)).comments, []);
    assert.deepEqual(await listCommentsByEmail(db, '  '), []);
  });
});

describe('commenter erase', () => {
  test('removes name, email, website, text and client hash but keeps ids, parents, posts, status and creation dates', async () => {
    const { db, ritaRoot, ottoReply, ritaReply, ritaPending } = await seed();
    const result = await eraseCommenter(db, 'RITA@EXAMPLE.COM', now);
    assert.deepEqual(result.commentIds, [ritaRoot, ritaReply, ritaPending]);
    for (const id of result.commentIds) {
      const c = (await findComment(db, id))!;
      assert.equal(c.authorName, '');
      assert.equal(c.authorEmail, '');
      assert.equal(c.authorUrl, null);
      assert.equal(c.bodySource, '');
      assert.equal(c.bodyHtml, '');
      assert.equal(c.clientHash, null);
      assert.equal(c.erasedAt?.toISOString(), now.toISOString());
      assert.equal(c.updatedAt.toISOString(), now.toISOString());
      assert.equal(c.createdAt.getTime() >= at.getTime(), true);
    }
    assert.equal((await findComment(db, ritaReply))!.parentId, ottoReply);
    assert.equal((await findComment(db, ritaReply))!.status, 'approved');
    assert.equal((await findComment(db, ritaPending))!.status, 'pending');
    assert.equal((await findComment(db, ritaPending))!.postSlug, 'other');
  });

  test('leaves other commenters untouched, including replies to the erased comments', async () => {
    const { db, ritaRoot, ottoReply } = await seed();
    await eraseCommenter(db, 'rita@example.com', now);
    const otto = (await findComment(db, ottoReply))!;
    assert.equal(otto.authorName, 'Otto');
    assert.equal(otto.bodySource, 'DNS.');
    assert.equal(otto.parentId, ritaRoot);
    assert.equal(otto.erasedAt, null);
    assert.equal((await exportCommenter(db, 'otto@example.com', now)).comments.length, 1);
  });

  test('logs one "erase" entry per comment, from the command line', async () => {
    const { db, ritaRoot, ritaReply, ritaPending } = await seed();
    await eraseCommenter(db, 'rita@example.com', now);
    const log = await listModerationLog(db);
    assert.deepEqual(log.map((l) => l.commentId).sort(), [ritaRoot, ritaReply, ritaPending].sort());
    for (const entry of log) {
      assert.equal(entry.action, 'erase');
      assert.equal(entry.moderatorId, null);
      assert.equal(entry.moderatorName, 'command line');
      assert.equal(entry.createdAt.toISOString(), now.toISOString());
    }
  });

  test('is idempotent: a second run erases and logs nothing more', async () => {
    const { db } = await seed();
    assert.equal((await eraseCommenter(db, 'rita@example.com', now)).commentIds.length, 3);
    assert.deepEqual(await eraseCommenter(db, 'rita@example.com', new Date()), { commentIds: [], mailsRemoved: 0, subscriptionsRemoved: 0 });
    assert.equal((await listModerationLog(db)).length, 3);
    assert.deepEqual((await exportCommenter(db, 'rita@example.com', now)).comments, []);
    assert.deepEqual((await eraseCommenter(db, '', now)).commentIds, []);
  });

  test('deletes moderator notification mails that quote the commenter, and only those', async () => {
    const { db } = await seed();
    await enqueueMail(db, [
      { recipient: 'mod@example.com', subject: 'New comment', textBody: 'Author:  Rita\nEmail:   Rita@Example.com\n' },
      { recipient: 'mod@example.com', subject: 'New comment', textBody: 'Author:  Otto\nEmail:   otto@example.com\n' },
    ], at);
    assert.equal((await eraseCommenter(db, 'rita@example.com', now)).mailsRemoved, 1);
    assert.deepEqual((await db.orm.select().from(db.tables.outgoingMail)).map((m) => m.textBody), ['Author:  Otto\nEmail:   otto@example.com\n']);
  });

  test('a block made from their comment loses their address and name but still blocks their client', async () => {
    const { db, ritaRoot } = await seed();
    await addTestModerators(db, ['mia@example.com', 'Mia']);
    assert.deepEqual(await blockAuthor(db, { id: 1, name: 'Mia' }, ritaRoot, at), { ok: true });
    await eraseCommenter(db, 'rita@example.com', now);
    const [block] = await listBlockedAuthors(db);
    assert.deepEqual({ email: block.email, authorName: block.authorName, clientHash: block.clientHash }, { email: null, authorName: '', clientHash: 'h1' });
    assert.equal(await isAuthorBlockedIn(db, 'someone@example.com', 'h1'), true);
    assert.equal(await isAuthorBlockedIn(db, 'rita@example.com', 'h2'), false);
  });

  test('the spam filter forgets what it learned from them, and their webhook deliveries are deleted', async () => {
    const { db, ritaRoot, ottoReply } = await seed();
    await db.orm.update(db.tables.comments).set({ spamEvidence: '[{"token":"caused","weight":1}]' });
    await learnUntrainedComments(db, SPAM_TRAINER, 0, 100);
    assert.equal((await readSpamFilterTotals(db))!.hamDocs, 3);
    await enqueueWebhooks(db, [ritaRoot, ottoReply].map((commentId) => ({ url: 'https://hooks.example/', event: 'comment.published', commentId, payload: '{}' })), at);
    await eraseCommenter(db, 'rita@example.com', now);
    assert.equal((await readSpamFilterTotals(db))!.hamDocs, 1, 'only Otto’s comment is still counted');
    assert.deepEqual([...(await readSpamModelFor(db, ['caused', 'name:rita', 'dns'])).counts.keys()], ['dns']);
    assert.equal((await findComment(db, ritaRoot))!.spamEvidence, null);
    assert.equal((await findComment(db, ottoReply))!.spamEvidence, '[{"token":"caused","weight":1}]');
    assert.deepEqual((await listRecentWebhookDeliveries(db)).map((d) => d.commentId), [ottoReply]);
  });

  test('rolls back entirely when a step fails', { skip: sqliteOnly }, async () => {
    const { db, ritaRoot } = await seed();
    sqliteOf(db).exec(`CREATE TRIGGER fail_log BEFORE INSERT ON moderation_log BEGIN SELECT RAISE(ABORT, 'log is read-only'); END`);
    await assert.rejects(() => eraseCommenter(db, 'rita@example.com', now), (error: Error) => /log is read-only/.test(`${error.message} ${(error.cause as Error | undefined)?.message}`));
    assert.equal((await findComment(db, ritaRoot))!.authorName, 'Rita Reader');
    assert.equal((await findComment(db, ritaRoot))!.erasedAt, null);
  });
});
