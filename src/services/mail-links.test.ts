import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addTestModerators, createTestDb, sqliteOnly } from '../../db/testing.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { deleteModeratorByEmail } from '../../db/queries/moderators.ts';
import { postScope, readPageStamp } from '../../db/queries/page-stamps.ts';
import { inspectMailLink, mailLinkUrls, useMailLink } from './mail-links.ts';
import { moderateComments } from './moderation.ts';
import { MAIL_LINK_MAX_AGE_MS } from './tokens.ts';

const secret = 's'.repeat(64);
const sent = new Date('2026-11-25T12:00:00Z');
const later = new Date(sent.getTime() + 60 * 60 * 1000);
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'outage', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'hello', bodyHtml: '<p>hello</p>', createdAt: sent, updatedAt: sent, ...over,
});

async function setup() {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia'], ['ole@example.com', 'Ole']);
  const id = await insertComment(db, row());
  const tokenOf = (url: string) => new URL(url).searchParams.get('link')!;
  const links = (moderatorId = 1) => {
    const urls = mailLinkUrls(secret, 'https://blog.example', id, moderatorId, sent);
    return { approve: tokenOf(urls.approve), spam: tokenOf(urls.spam), trash: tokenOf(urls.trash), urls };
  };
  return { db, id, links };
}

describe('moderation links in notification mails', () => {
  test('each link opens the confirmation page at /moderate and only reads', async () => {
    const { db, id, links } = await setup();
    const { urls, approve } = links();
    assert.match(urls.approve, new RegExp(`^https://blog\\.example/moderate\\?link=${id}\\.approve\\.1\\.`));
    const state = await inspectMailLink(db, secret, approve, later);
    assert.equal(state.kind, 'ready');
    assert.equal(state.kind === 'ready' && state.moderatorName, 'Mia');
    // Opening it (a mail scanner prefetching) changes nothing and does not spend the link.
    assert.equal((await findComment(db, id))!.status, 'pending');
    assert.equal((await inspectMailLink(db, secret, approve, later)).kind, 'ready');
    assert.equal((await listModerationLog(db)).length, 0);
  });

  test('the page never gets the commenter’s email', async () => {
    const { db, links } = await setup();
    const state = await inspectMailLink(db, secret, links().approve, later);
    assert.ok(state.kind === 'ready');
    assert.ok(!JSON.stringify(state.comment).includes('ann@example.com'));
  });

  test('confirming approves, logs it as the mail’s moderator via email link, and invalidates the post’s cached page', async () => {
    const { db, id, links } = await setup();
    const stamp = () => readPageStamp(db, postScope('outage'));
    const before = await stamp();
    const outcome = await useMailLink(db, secret, links(2).approve, later);
    assert.equal(outcome.kind, 'done');
    assert.equal((await findComment(db, id))!.status, 'approved');
    assert.deepEqual(
      (await listModerationLog(db)).map((e) => [e.moderatorId, e.moderatorName, e.action, e.commentId, e.via, e.detail]),
      [[2, 'Ole', 'approve', id, 'mail-link', 'pending → approved']],
    );
    assert.ok(await stamp() > before, 'the post page is re-rendered');
  });

  test('spam and trash links do what they say (Restore brings the comment back to the queue)', async () => {
    const first = await setup();
    assert.equal((await useMailLink(first.db, secret, first.links().spam, later)).kind, 'done');
    assert.equal((await findComment(first.db, first.id))!.status, 'spam');
    const second = await setup();
    assert.equal((await useMailLink(second.db, secret, second.links().trash, later)).kind, 'done');
    const trashed = (await findComment(second.db, second.id))!;
    assert.deepEqual([trashed.status, trashed.previousStatus], ['trash', 'pending']);
  });

  test('a link works once: the second use changes nothing and says it was used, and when', async () => {
    const { db, id, links } = await setup();
    const { trash } = links();
    assert.equal((await useMailLink(db, secret, trash, later)).kind, 'done');
    await moderateComments(db, { id: 1, name: 'Mia', email: 'mia@example.com' }, 'restore', [id], later);
    const again = await useMailLink(db, secret, trash, new Date(later.getTime() + 1000));
    assert.equal(again.kind, 'used');
    assert.deepEqual(again.kind === 'used' && [again.usedAt, again.comment?.status], [later, 'pending']);
    assert.equal((await findComment(db, id))!.status, 'pending', 'the restored comment stays restored');
    assert.equal((await inspectMailLink(db, secret, trash, later)).kind, 'used');
  });

  test('after one link was used, the others of the mail say what already happened instead of overruling it', async () => {
    const { db, id, links } = await setup();
    const mine = links();
    await useMailLink(db, secret, mine.approve, later);
    for (const state of [await inspectMailLink(db, secret, mine.spam, later), await useMailLink(db, secret, links(2).trash, later)]) {
      assert.equal(state.kind, 'handled');
      assert.ok(state.kind === 'handled');
      assert.equal(state.comment.status, 'approved');
      assert.deepEqual([state.last?.moderatorName, state.last?.action, state.last?.via], ['Mia', 'approve', 'mail-link']);
    }
    assert.equal((await findComment(db, id))!.status, 'approved');
  });

  test('a comment handled in the queue is reported as handled there', async () => {
    const { db, id, links } = await setup();
    await moderateComments(db, { id: 2, name: 'Ole', email: 'ole@example.com' }, 'spam', [id], later);
    const state = await useMailLink(db, secret, links().approve, later);
    assert.ok(state.kind === 'handled');
    assert.deepEqual([state.comment.status, state.last?.moderatorName, state.last?.via], ['spam', 'Ole', null]);
    assert.equal((await findComment(db, id))!.status, 'spam');
  });

  test('after seven days the link says expired and changes nothing', async () => {
    const { db, id, links } = await setup();
    const { approve } = links();
    const expired = new Date(sent.getTime() + MAIL_LINK_MAX_AGE_MS + 1);
    assert.equal((await inspectMailLink(db, secret, approve, expired)).kind, 'expired');
    assert.equal((await useMailLink(db, secret, approve, expired)).kind, 'expired');
    assert.equal((await findComment(db, id))!.status, 'pending');
    assert.equal((await useMailLink(db, secret, approve, new Date(sent.getTime() + MAIL_LINK_MAX_AGE_MS))).kind, 'done', 'the last moment still works');
  });

  test('forged links, and links of a removed moderator, grant nothing', async () => {
    const { db, id, links } = await setup();
    const { approve } = links(2);
    assert.equal((await useMailLink(db, secret, approve.replace('.approve.', '.trash.'), later)).kind, 'invalid');
    assert.equal((await useMailLink(db, 'x'.repeat(64), approve, later)).kind, 'invalid');
    assert.equal((await useMailLink(db, secret, undefined, later)).kind, 'invalid');
    await deleteModeratorByEmail(db, 'ole@example.com');
    assert.equal((await useMailLink(db, secret, approve, later)).kind, 'invalid');
    assert.equal((await findComment(db, id))!.status, 'pending');
  });

  test('a deleted comment says so', async () => {
    const { db, id, links } = await setup();
    const { approve } = links();
    await moderateComments(db, { id: 1, name: 'Mia', email: 'mia@example.com' }, 'delete', [id], later);
    assert.equal((await useMailLink(db, secret, approve, later)).kind, 'gone');
  });

  test('a link used through one process is refused by another sharing the database file', { skip: sqliteOnly }, async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openDatabase } = await import('../../db/client.ts');
    const { migrateDatabase } = await import('../../db/migrate.ts');
    const path = join(mkdtempSync(join(tmpdir(), 'mail-link-')), 'race.db');
    const a = await openDatabase(path);
    await migrateDatabase(a);
    const b = await openDatabase(path);
    await addTestModerators(a, ['mia@example.com', 'Mia']);
    const id = await insertComment(a, row());
    const token = new URL(mailLinkUrls(secret, 'https://blog.example', id, 1, sent).spam).searchParams.get('link')!;
    const outcomes = [(await useMailLink(a, secret, token, later)).kind, (await useMailLink(b, secret, token, later)).kind];
    assert.deepEqual(outcomes, ['done', 'used']);
    assert.equal((await listModerationLog(b)).length, 1);
    await a.close();
    await b.close();
  });
});
