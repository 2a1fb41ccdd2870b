import { sql } from 'drizzle-orm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, inOrder } from '../../db/testing.ts';
import { findComment, insertComment } from '../../db/queries/comments.ts';
import { insertModerator } from '../../db/queries/moderators.ts';
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
    ownCommentIds: [],
    secret,
    now,
    settings,
    // No moderators in these databases, so nothing is queued to deliver.
    mailer: { deliver: async () => {} },
    ...over,
    fields: { name: 'Ada', email: 'ada@example.com', comment: 'What happened?', token: createFormToken(secret, post.slug, t0), ...over.fields },
  };
}

describe('submitComment', () => {
  test('a valid comment is stored pending with a keyed client hash, never the address', async () => {
    const db = await createTestDb();
    const outcome = await submitComment(db, submission());
    assert.equal(outcome.kind, 'stored');
    const row = (await findComment(db, (outcome as { id: number }).id))!;
    assert.equal(row.status, 'pending');
    assert.match(row.clientHash!, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes('192.0.2.1'));
  });

  test('invalid input stores nothing and reports every field', async () => {
    const db = await createTestDb();
    const outcome = await submitComment(db, submission({ fields: { name: ' ', email: 'nope', comment: '' } }));
    assert.deepEqual(outcome, { kind: 'invalid', errors: { name: 'name.required', email: 'email.invalid', body: 'body.required' } });
    assert.equal(await findComment(db, 1), undefined);
  });

  test('flood control refuses a second comment from the same address within the window', async () => {
    const db = await createTestDb();
    await submitComment(db, submission());
    const second = await submitComment(db, submission({ now: new Date(t0.getTime() + 15_000), fields: { comment: 'Another one' } }));
    assert.deepEqual(second, { kind: 'refused', reason: 'flood', retryAfterSeconds: 10 });
    const later = await submitComment(db, submission({ now: new Date(t0.getTime() + 26_000), fields: { comment: 'Another one' } }));
    assert.equal(later.kind, 'stored');
  });

  test('a duplicate (same post and text from the same client or browser) is refused', async () => {
    const db = await createTestDb();
    const first = (await submitComment(db, submission({ clientAddress: 'a' }))) as { id: number };
    assert.deepEqual(await submitComment(db, submission({ clientAddress: 'a', now: new Date(t0.getTime() + 60_000) })), { kind: 'refused', reason: 'duplicate' });
    const sameBrowser = await submitComment(db, submission({ clientAddress: 'b', ownCommentIds: [first.id], fields: { email: 'other@example.com' } }));
    assert.deepEqual(sameBrowser, { kind: 'refused', reason: 'duplicate' });
  });

  test('the same text from a stranger is not refused, whatever email they guess (no email oracle)', async () => {
    const db = await createTestDb();
    await submitComment(db, submission({ clientAddress: 'a' }));
    await db.execute(sql`update comments set status = 'approved'`);
    for (const [address, email] of [['b', 'ada@example.com'], ['c', 'ADA@example.com'], ['d', 'nobody@example.com']]) {
      const outcome = await submitComment(db, submission({ clientAddress: address, fields: { email } }));
      assert.equal(outcome.kind === 'stored' && outcome.status, 'pending', email);
    }
  });

  test('checks run cheapest first: a flooding client is refused before its input is even read', async () => {
    const db = await createTestDb();
    await submitComment(db, submission());
    const outcome = await submitComment(db, submission({ now: new Date(t0.getTime() + 12_000), fields: { name: '', email: 'nope', comment: '' } }));
    assert.deepEqual(outcome, { kind: 'refused', reason: 'flood', retryAfterSeconds: 13 });
  });

  test('a served form posts one comment: its token cannot be used again', async () => {
    const db = await createTestDb();
    const token = createFormToken(secret, post.slug, t0);
    assert.equal((await submitComment(db, submission({ clientAddress: 'a', fields: { token } }))).kind, 'stored');
    const reused = await submitComment(db, submission({ clientAddress: 'b', fields: { token, comment: 'Something else entirely' } }));
    assert.deepEqual(reused, { kind: 'refused', reason: 'used' });
    // A refusal does not spend the token: the commenter can fix the form and send it.
    const fresh = createFormToken(secret, post.slug, t0);
    assert.equal((await submitComment(db, submission({ clientAddress: 'c', fields: { token: fresh, name: '' } }))).kind, 'invalid');
    assert.equal((await submitComment(db, submission({ clientAddress: 'c', fields: { token: fresh } }))).kind, 'stored');
  });

  test('bots: honeypot, forged token and too-fast submissions are kept as spam', async () => {
    const db = await createTestDb();
    const status = async (over: Partial<Submission> & { fields?: Record<string, unknown> }, address: string) => {
      const outcome = await submitComment(db, submission({ ...over, clientAddress: address }));
      return (await findComment(db, (outcome as { id: number }).id))!.status;
    };
    assert.equal(await status({ fields: { homepage: 'http://spam.example', comment: 'a' } }, '1'), 'spam');
    assert.equal(await status({ fields: { token: '123.forged', comment: 'b' } }, '2'), 'spam');
    assert.equal(await status({ fields: { token: undefined, comment: 'c' } }, '3'), 'spam');
    assert.equal(await status({ now: new Date(t0.getTime() + 1_000), fields: { comment: 'd' } }, '4'), 'spam');
  });

  test('an expired form is refused (the page keeps the text), not stored', async () => {
    const db = await createTestDb();
    const outcome = await submitComment(db, submission({ now: new Date(t0.getTime() + 25 * 60 * 60 * 1000) }));
    assert.deepEqual(outcome, { kind: 'refused', reason: 'expired' });
  });

  test('replies only to approved comments of the same post; closed posts refuse', async () => {
    const db = await createTestDb();
    const first = (await submitComment(db, submission())) as { id: number };
    const toPending = await submitComment(db, submission({ clientAddress: 'x', fields: { parent: String(first.id), comment: 'reply' } }));
    assert.deepEqual(toPending, { kind: 'refused', reason: 'parentNotFound' });
    await db.execute(sql`update comments set status = 'approved'`);
    const otherPost = await submitComment(db, submission({ post: { ...post, slug: 'other' }, clientAddress: 'y', fields: { parent: String(first.id), comment: 'reply', token: createFormToken(secret, 'other', t0) } }));
    assert.deepEqual(otherPost, { kind: 'refused', reason: 'parentNotFound' });
    const ok = await submitComment(db, submission({ clientAddress: 'z', fields: { parent: String(first.id), comment: 'reply' } }));
    assert.equal(ok.kind, 'stored');
    const closed = await submitComment(db, submission({ post: { ...post, commentsEnabled: false }, clientAddress: 'w' }));
    assert.deepEqual(closed, { kind: 'refused', reason: 'closed' });
  });

  test('a known author is approved at once only from the browser that wrote the approved comment', async () => {
    const db = await createTestDb();
    const first = (await submitComment(db, submission())) as { id: number };
    await db.execute(sql`update comments set status = 'approved'`);
    const sameBrowser = await submitComment(db, submission({ clientAddress: 'other', ownCommentIds: [first.id], fields: { comment: 'Follow-up', email: 'ADA@example.com' } }));
    assert.equal(sameBrowser.kind === 'stored' && sameBrowser.status, 'approved');
    // The same email typed in another browser proves nothing.
    const stranger = await submitComment(db, submission({ clientAddress: 'stranger', fields: { comment: 'Pretending to be Ada' } }));
    assert.equal(stranger.kind === 'stored' && stranger.status, 'pending');
    // Nor does a browser whose approved comment was written under another email.
    const otherEmail = await submitComment(db, submission({ clientAddress: 'third', ownCommentIds: [first.id], fields: { comment: 'New identity', email: 'eve@example.com' } }));
    assert.equal(otherEmail.kind === 'stored' && otherEmail.status, 'pending');
  });

  test("a moderator's name or email in the public form is held and flagged, even with proof", async () => {
    const db = await createTestDb();
    await insertModerator(db, { email: 'dana@company.example', name: 'Dana Ops', passwordHash: 'x', createdAt: t0 });
    const first = (await submitComment(db, submission({ fields: { email: 'dana@company.example', name: 'Dana' } }))) as { id: number };
    await db.execute(sql`update comments set status = 'approved'`);
    for (const [address, fields] of [['b', { email: 'Dana@Company.example', comment: 'Official statement 1' }], ['c', { name: 'Dana\u200B Ops', email: 'x@example.com', comment: 'Official statement 2' }]] as const) {
      const outcome = await submitComment(db, submission({ clientAddress: address, ownCommentIds: [first.id], fields }));
      assert.equal(outcome.kind, 'stored');
      const row = (await findComment(db, (outcome as { id: number }).id))!;
      assert.deepEqual([row.status, row.decisionReason], ['pending', 'moderator-identity']);
    }
  });
});

describe('loadCommentSection', () => {
  test('shows approved comments and the viewer’s own pending one; a trashed parent becomes a placeholder', async () => {
    const db = await createTestDb();
    const parent = (await submitComment(db, submission({ clientAddress: '1' }))) as { id: number };
    await db.execute(sql`update comments set status = 'approved'`);
    const reply = (await submitComment(db, submission({ clientAddress: '2', fields: { parent: String(parent.id), comment: 'reply' } }))) as { id: number };
    const mine = (await submitComment(db, submission({ clientAddress: '3', fields: { email: 'me@example.com', comment: 'mine' } }))) as { id: number };
    await db.execute(sql`update comments set status = 'approved' where id = ${reply.id}`);
    await db.execute(sql`update comments set status = 'trash' where id = ${parent.id}`);

    const forMe = await loadCommentSection(db, post, [mine.id], null, t0);
    assert.equal(forMe.approvedCount, 1);
    const [placeholder, own] = forMe.tree;
    assert.equal(placeholder.comment.removed, true);
    assert.equal(placeholder.comment.authorName, '');
    assert.equal(placeholder.replies[0].comment.id, reply.id);
    assert.equal(own.comment.pending, true);

    const forOthers = await loadCommentSection(db, post, [], null, t0);
    assert.equal(forOthers.tree.length, 1);
  });

  test('a comment the spam guard held is shown to its author as awaiting moderation, to nobody else', async () => {
    const db = await createTestDb();
    const tooFast = (await submitComment(db, submission({ now: new Date(t0.getTime() + 1_000) }))) as { id: number };
    assert.equal((await findComment(db, tooFast.id))!.status, 'spam');
    const [own] = (await loadCommentSection(db, post, [tooFast.id], null, t0)).tree;
    assert.equal(own.comment.pending, true);
    assert.equal((await loadCommentSection(db, post, [], null, t0)).tree.length, 0);
    // Once a moderator has handled it (restored, then marked spam), it is gone for the author too.
    await db.execute(sql`update comments set previous_status = 'pending'`);
    assert.equal((await loadCommentSection(db, post, [tooFast.id], null, t0)).tree.length, 0);
  });
});

describe('avatars', () => {
  const store = (db: Awaited<ReturnType<typeof createTestDb>>, email: string, minute: number, status: 'approved' | 'trash' = 'approved', parentId: number | null = null) => {
    const at = new Date(t0.getTime() + minute * 60_000);
    return insertComment(db, { postSlug: post.slug, parentId, status, authorName: 'Ann Lee', authorEmail: email, bodySource: `c${minute}`, bodyHtml: `<p>c${minute}</p>`, createdAt: at, updatedAt: at });
  };
  const hues = (section: Awaited<ReturnType<typeof loadCommentSection>>) => {
    const out = new Map<number, number | undefined>();
    const walk = (nodes: typeof section.tree) => nodes.forEach((n) => (out.set(n.comment.id, n.comment.avatarHue), walk(n.replies)));
    walk(section.tree);
    return out;
  };

  test('the same email (in any case) gets the same colour, another email almost surely another; removed comments get none', async () => {
    const db = await createTestDb();
    const a1 = await store(db, 'ann@example.com', 1);
    const a2 = await store(db, ' ANN@example.com', 2);
    const others = await inOrder(Array.from({ length: 8 }, (_, i) => i), (i) => store(db, `other${i}@example.com`, 10 + i));
    const removed = await store(db, 'gone@example.com', 30, 'trash');
    await store(db, 'child@example.com', 31, 'approved', removed);
    const section = await loadCommentSection(db, post, [], null, t0, secret);
    const hue = hues(section);
    assert.equal(hue.get(a1), hue.get(a2));
    assert.ok(others.some((id) => hue.get(id) !== hue.get(a1)));
    assert.equal(hue.get(removed), undefined);
    // The colour is keyed: another secret, another colour for most commenters.
    const other = hues(await loadCommentSection(db, post, [], null, t0, 'x'.repeat(64)));
    assert.ok([a1, ...others].some((id) => other.get(id) !== hue.get(id)));
    // Nothing about the email is in what the thread renders from.
    assert.ok(!JSON.stringify(section.tree).includes('example.com'));
  });

  test('without the secret, no avatars', async () => {
    const db = await createTestDb();
    const id = await store(db, 'ann@example.com', 1);
    assert.equal(hues(await loadCommentSection(db, post, [], null, t0)).get(id), undefined);
  });
});
