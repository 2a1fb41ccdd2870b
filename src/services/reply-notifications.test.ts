import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import type { DbConnection } from '../../db/client.ts';
import { findComment, insertComment } from '../../db/queries/comments.ts';
import { eraseCommenter, exportCommenter } from './commenters.ts';
import { listDueMail } from '../../db/queries/mail.ts';
import { insertModerator } from '../../db/queries/moderators.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import type { CommentStatus } from '../domain/comments/types.ts';
import { createTranslator } from '../i18n/index.ts';
import { submitComment, type Submission } from './comments.ts';
import { moderateComments } from './moderation.ts';
import { confirmSubscription, queueDueReplyNotifications, subscribeToReplies, unsubscribe, CONFIRM_LINK_DAYS } from './reply-notifications.ts';
import { createFormToken, createSubscriptionToken } from './tokens.ts';

const secret = 's'.repeat(64);
const origin = 'https://blog.example';
const t0 = new Date('2026-11-25T12:00:00Z');
const en = createTranslator('en');
const post: PostSummary = {
  slug: 'outage', title: 'The outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const sweep = (db: DbConnection, now = t0) => queueDueReplyNotifications(db, { secret, origin, translator: en, titleOf: async () => post.title, now });
const mails = (db: DbConnection) => listDueMail(db, new Date('2100-01-01'), 1000);
const moderator = { id: 1, name: 'Mia', email: 'mia@example.com' };

let clock = t0.getTime();
/** A comment stored directly (as the form would, with the given status). */
async function addComment(db: DbConnection, over: { status?: CommentStatus; email?: string; name?: string; parentId?: number | null; body?: string } = {}): Promise<number> {
  const at = new Date((clock += 60_000));
  return insertComment(db, {
    postSlug: post.slug,
    parentId: over.parentId ?? null,
    status: over.status ?? 'approved',
    authorName: over.name ?? 'Someone',
    authorEmail: over.email ?? 'someone@example.com',
    bodySource: over.body ?? `text ${clock}`,
    bodyHtml: `<p>${over.body ?? clock}</p>`,
    decisionReason: 'default',
    createdAt: at,
    updatedAt: at,
  });
}

/** Subscribes comment `commentId`'s author and returns the confirmation token from the mail. */
async function subscribe(db: DbConnection, commentId: number, email = 'ada@example.com', ownCommentIds: number[] = []) {
  const result = await subscribeToReplies(db, { commentId, status: 'approved', name: 'Ada', email, ownCommentIds, post, secret, origin, translator: en, now: t0 });
  const confirmation = (await mails(db)).find((m) => m.recipient === email && m.subject.startsWith('Please confirm'));
  const token = confirmation ? decodeURIComponent(/token=([^\s]+)/.exec(confirmation.textBody)![1]) : null;
  return { result, token };
}

async function subscribedAndConfirmed(db: DbConnection) {
  const parent = await addComment(db, { email: 'ada@example.com', name: 'Ada' });
  const { token } = await subscribe(db, parent);
  assert.equal((await confirmSubscription(db, secret, token, true, t0)).kind, 'confirmed');
  return parent;
}

const replyMails = async (db: DbConnection) => (await mails(db)).filter((m) => m.subject.startsWith('New reply'));

describe('reply notifications: double opt-in', () => {
  test('ticking the box mails one confirmation link and nothing else until it is used', async () => {
    const db = await createTestDb();
    const parent = await addComment(db, { email: 'ada@example.com' });
    const { result, token } = await subscribe(db, parent);
    assert.equal(result, 'confirmation-sent');
    assert.equal((await mails(db)).length, 1);
    const [mail] = await mails(db);
    assert.equal(mail.recipient, 'ada@example.com');
    assert.match(mail.textBody, /https:\/\/blog\.example\/notifications\/confirm\?token=/);
    assert.match(mail.textBody, /The outage/);
    assert.ok(mail.htmlBody?.includes('<a href="https://blog.example/notifications/confirm?token='));
    assert.ok(token);

    await addComment(db, { parentId: parent, email: 'bob@example.com' });
    assert.equal(await sweep(db), 0, 'an unconfirmed address gets no reply mail');
    assert.equal((await replyMails(db)).length, 0);
  });

  test('confirming turns mails on; a second use says so; a reply approved before confirmation is mailed after it', async () => {
    const db = await createTestDb();
    const parent = await addComment(db, { email: 'ada@example.com' });
    const { token } = await subscribe(db, parent);
    await addComment(db, { parentId: parent, email: 'bob@example.com', name: 'Bob', body: 'First answer' });
    assert.deepEqual(await confirmSubscription(db, secret, token, true, t0), { kind: 'confirmed', postSlug: 'outage', commentId: parent, approved: false });
    assert.deepEqual(await confirmSubscription(db, secret, token, true, t0), { kind: 'already', postSlug: 'outage', commentId: parent });
    assert.equal(await sweep(db), 1);
    assert.match((await replyMails(db))[0].textBody, /Bob replied to your comment on "The outage"/);
  });

  test('forged, tampered, wrong-purpose and expired links are refused', async () => {
    const db = await createTestDb();
    const parent = await addComment(db, { email: 'ada@example.com' });
    const { token } = await subscribe(db, parent);
    const [id, expiry] = token!.split('.');
    assert.deepEqual(await confirmSubscription(db, secret, `${id}.${expiry}.${'A'.repeat(43)}`, true, t0), { kind: 'invalid' });
    assert.deepEqual(await confirmSubscription(db, secret, `${id}.${Number(expiry) + 1000}.${token!.split('.')[2]}`, true, t0), { kind: 'invalid' });
    assert.deepEqual(await confirmSubscription(db, secret, 'nonsense', true, t0), { kind: 'invalid' });
    const unsubscribeToken = createSubscriptionToken(secret, 'reply-unsubscribe', Number(id), 'ada@example.com', null);
    assert.deepEqual(await confirmSubscription(db, secret, unsubscribeToken, true, t0), { kind: 'invalid' }, 'an unsubscribe link does not confirm');
    assert.deepEqual(await confirmSubscription(db, 'x'.repeat(64), token, true, t0), { kind: 'invalid' }, 'keyed with the app secret');
    const late = new Date(t0.getTime() + CONFIRM_LINK_DAYS * 24 * 3600_000 + 1);
    assert.deepEqual(await confirmSubscription(db, secret, token, true, late), { kind: 'expired' });
  });

  test('a comment the spam guard caught subscribes nobody and mails nobody', async () => {
    const db = await createTestDb();
    const id = await addComment(db, { status: 'spam' });
    const result = await subscribeToReplies(db, { commentId: id, status: 'spam', name: 'Bot', email: 'victim@example.com', ownCommentIds: [], post, secret, origin, translator: en, now: t0 });
    assert.equal(result, 'none');
    assert.equal((await mails(db)).length, 0);
  });

  test('a browser that confirmed the address before subscribes its next comment without a second confirmation', async () => {
    const db = await createTestDb();
    const first = await subscribedAndConfirmed(db);
    const second = await addComment(db, { email: 'ADA@example.com' });
    const before = (await mails(db)).length;
    const { result } = await subscribe(db, second, 'ADA@example.com', [first]);
    assert.equal(result, 'active');
    assert.equal((await mails(db)).length, before, 'no second confirmation mail');
    // Another browser (no proof) typing the same address gets a confirmation mail instead.
    const third = await addComment(db, { email: 'ada@example.com' });
    assert.equal((await subscribe(db, third, 'ada@example.com', [])).result, 'confirmation-sent');
  });
});

describe('reply notifications: one mail per approved reply', () => {
  test('the mail quotes the reply, links it, and carries a one-click unsubscribe (RFC 8058)', async () => {
    const db = await createTestDb();
    const parent = await subscribedAndConfirmed(db);
    const reply = await addComment(db, { parentId: parent, email: 'bob@example.com', name: 'Bob', body: 'Unsubscribe here: http://evil.example\nsecond line' });
    assert.equal(await sweep(db), 1);
    const [mail] = await replyMails(db);
    assert.equal(mail.recipient, 'ada@example.com');
    assert.equal(mail.subject, 'New reply to your comment on "The outage"');
    assert.ok(mail.textBody.includes(`https://blog.example/comments/${reply}`));
    assert.ok(mail.textBody.includes('> Unsubscribe here: http://evil.example\n> second line'), 'every line of the reply is quoted');
    assert.ok(mail.textBody.indexOf('/notifications/unsubscribe?token=') < mail.textBody.indexOf('> Unsubscribe here'), 'our links come before the quote');
    const headers = JSON.parse(mail.headers!) as Record<string, string>;
    assert.match(headers['List-Unsubscribe'], /^<https:\/\/blog\.example\/notifications\/unsubscribe\?token=[^>]+>$/);
    assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.ok(mail.htmlBody!.includes('<blockquote'));
    assert.ok(!mail.htmlBody!.includes('<a href="http://evil.example'), 'the reply is text in the HTML part, never markup');
  });

  test('pending and spam replies mail nothing; approving one later mails it then, once', async () => {
    const db = await createTestDb();
    await insertModerator(db, { email: moderator.email, name: moderator.name, passwordHash: 'x', createdAt: t0 });
    const parent = await subscribedAndConfirmed(db);
    const pending = await addComment(db, { parentId: parent, status: 'pending', email: 'bob@example.com' });
    const spam = await addComment(db, { parentId: parent, status: 'spam', email: 'bot@example.com' });
    assert.equal(await sweep(db), 0);
    await moderateComments(db, moderator, 'approve', [pending], t0);
    assert.equal(await sweep(db), 1);
    await moderateComments(db, moderator, 'unapprove', [pending], t0);
    await moderateComments(db, moderator, 'approve', [pending], t0);
    await moderateComments(db, moderator, 'trash', [spam], t0);
    assert.equal(await sweep(db), 0, 'approved again: no second mail');
    assert.equal((await replyMails(db)).length, 1);
  });

  test('replying to yourself mails nothing; replies to other comments mail nobody', async () => {
    const db = await createTestDb();
    const parent = await subscribedAndConfirmed(db);
    await addComment(db, { parentId: parent, email: 'Ada@Example.com' });
    const other = await addComment(db, { email: 'carl@example.com' });
    await addComment(db, { parentId: other, email: 'bob@example.com' });
    assert.equal(await sweep(db), 0);
  });

  test('unsubscribing (link or one-click POST) stops every reply mail to the address; a second time says so', async () => {
    const db = await createTestDb();
    const parent = await subscribedAndConfirmed(db);
    await addComment(db, { parentId: parent, email: 'bob@example.com' });
    await sweep(db);
    const token = decodeURIComponent(/unsubscribe\?token=([^\s]+)/.exec((await replyMails(db))[0].textBody)![1]);
    assert.deepEqual(await unsubscribe(db, secret, token, t0), { kind: 'done' });
    assert.deepEqual(await unsubscribe(db, secret, token, t0), { kind: 'already' });
    assert.deepEqual(await unsubscribe(db, secret, `${token}x`, t0), { kind: 'invalid' });
    await addComment(db, { parentId: parent, email: 'bob@example.com' });
    assert.equal(await sweep(db), 0);
  });
});

describe('a confirmed address proves ownership for auto-approval', () => {
  const settings = { COMMENT_FLOOD_SECONDS: 0, COMMENT_MIN_SECONDS: 0, SITE_URL: origin };
  const submission = (over: Partial<Submission>): Submission => ({
    post,
    clientAddress: '192.0.2.1',
    ownCommentIds: [],
    secret,
    now: new Date(t0.getTime() + 10_000),
    settings,
    mailer: { deliver: async () => {} },
    ...over,
    fields: { name: 'Ada', email: 'ada@example.com', comment: `Hello ${Math.random()}`, token: createFormToken(secret, post.slug, t0), ...over.fields },
  });

  test('a browser that confirmed the address of an author with an approved comment is trusted; other browsers are not', async () => {
    const db = await createTestDb();
    const approved = await addComment(db, { email: 'ada@example.com' });
    const held = await addComment(db, { status: 'pending', email: 'ada@example.com' });
    const { token } = await subscribe(db, held);
    await confirmSubscription(db, secret, token, true, t0);
    const trusted = await submitComment(db, submission({ ownCommentIds: [held] }));
    assert.equal(trusted.kind === 'stored' && trusted.status, 'approved');
    const stranger = await submitComment(db, submission({ ownCommentIds: [] }));
    assert.equal(stranger.kind === 'stored' && stranger.status, 'pending', 'a typed address alone proves nothing');
    assert.ok(approved);
  });

  test('confirming publishes a comment held only for want of proof, when its address has an approved comment', async () => {
    const db = await createTestDb();
    await addComment(db, { email: 'ada@example.com' });
    const held = await addComment(db, { status: 'pending', email: 'ada@example.com' });
    const { token } = await subscribe(db, held);
    assert.deepEqual(await confirmSubscription(db, secret, token, true, t0), { kind: 'confirmed', postSlug: 'outage', commentId: held, approved: true });
    assert.equal((await findComment(db, held))!.status, 'approved');
    assert.deepEqual((await listModerationLog(db)).map((e) => [e.moderatorName, e.action, e.commentId]), [['commenter', 'approve', held]]);
  });

  test('confirming does not publish a newcomer, nor when auto-approval is off', async () => {
    const db = await createTestDb();
    const newcomer = await addComment(db, { status: 'pending', email: 'new@example.com' });
    const { token } = await subscribe(db, newcomer, 'new@example.com');
    assert.equal((await confirmSubscription(db, secret, token, true, t0)).kind, 'confirmed');
    assert.equal((await findComment(db, newcomer))!.status, 'pending');
    await addComment(db, { email: 'ada@example.com' });
    const held = await addComment(db, { status: 'pending', email: 'ada@example.com' });
    const second = await subscribe(db, held);
    await confirmSubscription(db, secret, second.token, false, t0);
    assert.equal((await findComment(db, held))!.status, 'pending');
  });
});

describe('commenter export and erase include subscriptions', () => {
  test('export lists them; erase removes them and the mails addressed to them', async () => {
    const db = await createTestDb();
    const parent = await subscribedAndConfirmed(db);
    await addComment(db, { parentId: parent, email: 'bob@example.com' });
    await sweep(db);
    const exported = await exportCommenter(db, 'ADA@example.com', t0);
    assert.equal(exported.replySubscriptions.length, 1);
    assert.equal(exported.replySubscriptions[0].commentId, parent);
    assert.ok(exported.replySubscriptions[0].confirmedAt);
    const erased = await eraseCommenter(db, 'ada@example.com', t0);
    assert.equal(erased.subscriptionsRemoved, 1);
    assert.equal((await mails(db)).filter((m) => m.recipient === 'ada@example.com').length, 0);
    assert.equal((await exportCommenter(db, 'ada@example.com', t0)).replySubscriptions.length, 0);
  });
});
