import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addTestModerators, createTestDb, inOrder, sqliteOf, sqliteOnly } from '../../db/testing.ts';
import type { DbConnection } from '../../db/client.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { listModerationLog } from '../../db/queries/moderation-log.ts';
import { postScope, readPageStamp } from '../../db/queries/page-stamps.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { MAX_PINNED_PER_POST } from '../domain/comments/pinning.ts';
import { blockAuthor, listBlocks, loadQueueAuthors, pinComment, unblockAuthorById, unpinComment } from './author-moderation.ts';
import { loadCommentSection, submitComment, type Submission } from './comments.ts';
import { loadQueue, moderateComments, parseQueueQuery } from './moderation.ts';
import { createFormToken } from './tokens.ts';

const secret = 's'.repeat(64);
const t0 = new Date('2026-11-25T12:00:00Z');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const post: PostSummary = {
  slug: 'outage', title: 'Outage', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3,
};
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'outage', status: 'approved', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'hello', bodyHtml: '<p>hello</p>', createdAt: t0, updatedAt: t0, ...over,
});
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

async function setup(): Promise<DbConnection> {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  return db;
}

const threadIds = async (db: DbConnection) => (await loadCommentSection(db, post, [], null, minutes(100))).tree.map((node) => node.comment.id);

describe('Pin / Unpin', () => {
  test('a pinned comment leads the thread, marked as pinned; unpinning puts it back; both logged, both re-render the post', async () => {
    const db = await setup();
    const first = await insertComment(db, row({ createdAt: minutes(1) }));
    const second = await insertComment(db, row({ createdAt: minutes(2) }));
    const stamp = () => readPageStamp(db, postScope('outage'));
    assert.deepEqual(await threadIds(db), [first, second]);

    const before = await stamp();
    assert.deepEqual(await pinComment(db, mia, second, minutes(10)), { ok: true });
    assert.ok(await stamp() > before);
    const section = await loadCommentSection(db, post, [], null, minutes(100));
    assert.deepEqual(section.tree.map((n) => [n.comment.id, n.comment.pinnedAt !== null]), [[second, true], [first, false]]);

    assert.deepEqual(await unpinComment(db, mia, second, minutes(11)), { ok: true });
    assert.deepEqual(await threadIds(db), [first, second]);
    assert.deepEqual((await listModerationLog(db)).map((e) => [e.action, e.commentId]), [['unpin', second], ['pin', second]]);
  });

  test('only approved top-level comments, and at most a few per post', async () => {
    const db = await setup();
    const root = await insertComment(db, row());
    const reply = await insertComment(db, row({ parentId: root }));
    const pending = await insertComment(db, row({ status: 'pending' }));
    assert.deepEqual(await pinComment(db, mia, reply, t0), { ok: false, reason: 'notTopLevel', max: MAX_PINNED_PER_POST });
    assert.deepEqual(await pinComment(db, mia, pending, t0), { ok: false, reason: 'notApproved', max: MAX_PINNED_PER_POST });
    assert.deepEqual(await pinComment(db, mia, 999, t0), { ok: false, reason: 'notFound', max: MAX_PINNED_PER_POST });
    const roots = await inOrder(Array.from({ length: MAX_PINNED_PER_POST + 1 }, (_, i) => i), (i) => insertComment(db, row({ createdAt: minutes(i) })));
    for (const id of roots.slice(0, MAX_PINNED_PER_POST)) assert.deepEqual(await pinComment(db, mia, id, t0), { ok: true });
    assert.deepEqual(await pinComment(db, mia, roots.at(-1)!, t0), { ok: false, reason: 'tooMany', max: MAX_PINNED_PER_POST });
    // Another post has its own allowance.
    const elsewhere = await insertComment(db, row({ postSlug: 'other' }));
    assert.deepEqual(await pinComment(db, mia, elsewhere, t0), { ok: true });
    assert.equal((await listModerationLog(db)).filter((e) => e.action === 'pin').length, MAX_PINNED_PER_POST + 1, 'refusals change and log nothing');
  });

  test('a pinned comment that leaves the public thread is unpinned, and stays so when approved again', async () => {
    const db = await setup();
    const id = await insertComment(db, row());
    await pinComment(db, mia, id, t0);
    await moderateComments(db, mia, 'trash', [id], minutes(1));
    assert.equal((await findComment(db, id))!.pinnedAt, null);
    await moderateComments(db, mia, 'restore', [id], minutes(2));
    assert.deepEqual([(await findComment(db, id))!.status, (await findComment(db, id))!.pinnedAt], ['approved', null]);
  });
});

function submission(over: Partial<Submission> & { fields?: Record<string, unknown> } = {}): Submission {
  return {
    post,
    clientAddress: '192.0.2.1',
    ownCommentIds: [],
    secret,
    now: minutes(30),
    settings: { COMMENT_FLOOD_SECONDS: 0, COMMENT_MIN_SECONDS: 0, SITE_URL: 'https://blog.example' },
    mailer: { deliver: async () => {} },
    ...over,
    fields: { name: 'Bot', email: 'Spammer@Example.com', comment: `text ${Math.random()}`, token: createFormToken(secret, post.slug, t0), ...over.fields },
  };
}

describe('Block author', () => {
  test('future comments by that email (any case) or from that client go to spam; the author is not told', async () => {
    const db = await setup();
    const first = await submitComment(db, submission());
    assert.ok(first.kind === 'stored' && first.status === 'pending');
    assert.deepEqual(await blockAuthor(db, mia, first.id, minutes(31)), { ok: true });

    const sameEmail = await submitComment(db, submission({ clientAddress: '198.51.100.7', fields: { email: 'SPAMMER@example.COM' } }));
    const sameClient = await submitComment(db, submission({ fields: { email: 'new.name@example.org' } }));
    const someoneElse = await submitComment(db, submission({ clientAddress: '198.51.100.8', fields: { email: 'reader@example.org' } }));
    assert.ok(sameEmail.kind === 'stored' && sameClient.kind === 'stored' && someoneElse.kind === 'stored');
    assert.deepEqual([sameEmail.status, (await findComment(db, sameEmail.id))!.decisionReason], ['spam', 'blocked-author']);
    assert.deepEqual([sameClient.status, (await findComment(db, sameClient.id))!.decisionReason], ['spam', 'blocked-author']);
    assert.equal(someoneElse.status, 'pending');
    // To its author it looks like any comment awaiting review.
    const ownView = (await loadCommentSection(db, post, [sameEmail.id], null, minutes(40))).tree.find((n) => n.comment.id === sameEmail.id);
    assert.equal(ownView?.comment.pending, true);

    assert.deepEqual((await listModerationLog(db)).map((e) => [e.action, e.commentId]), [['block', first.id]]);
  });

  test('listed with what it matches; Unblock lifts it (logged); blocking twice adds nothing', async () => {
    const db = await setup();
    const id = await insertComment(db, row({ status: 'pending', authorEmail: 'Troll@Example.com', authorName: 'Troll', clientHash: 'abc' }));
    await blockAuthor(db, mia, id, t0);
    await blockAuthor(db, mia, id, t0);
    const blocks = await listBlocks(db);
    assert.deepEqual(blocks.map((b) => [b.authorName, b.email, b.clientHash, b.moderatorName]), [['Troll', 'troll@example.com', 'abc', 'Mia']]);
    assert.deepEqual(await unblockAuthorById(db, mia, blocks[0].id, minutes(1)), { ok: true });
    assert.deepEqual(await listBlocks(db), []);
    assert.deepEqual(await unblockAuthorById(db, mia, blocks[0].id, minutes(1)), { ok: false, reason: 'notFound' });
    const next = await submitComment(db, submission({ clientAddress: 'other', fields: { email: 'troll@example.com' } }));
    assert.ok(next.kind === 'stored' && next.status === 'pending');
    assert.deepEqual((await listModerationLog(db)).map((e) => e.action), ['unblock', 'block']);
  });

  test("the site's own replies cannot be blocked", async () => {
    const db = await setup();
    const id = await insertComment(db, row({ moderatorId: 1, authorEmail: 'mia@example.com' }));
    assert.deepEqual(await blockAuthor(db, mia, id, t0), { ok: false, reason: 'fromSite' });
    assert.deepEqual(await listBlocks(db), []);
  });
});

describe('author history in the queue', () => {
  test('counts each author’s comments by status, matching emails in any case, and says who is blocked', async () => {
    const db = await setup();
    for (const status of ['approved', 'approved', 'spam', 'trash', 'pending'] as const) await insertComment(db, row({ status, authorEmail: 'Ann@Example.com' }));
    await insertComment(db, row({ status: 'spam', authorEmail: 'ann@example.com' }));
    const bob = await insertComment(db, row({ status: 'pending', authorEmail: 'bob@example.com' }));
    await blockAuthor(db, mia, bob, t0);
    const authors = await loadQueueAuthors(db, [{ authorEmail: 'ANN@example.com', erasedAt: null }, { authorEmail: 'bob@example.com', erasedAt: null }]);
    assert.deepEqual(authors.history.get('ANN@example.com'), { approved: 2, pending: 1, spam: 2, trash: 1 });
    assert.deepEqual(authors.history.get('bob@example.com'), { approved: 0, pending: 1, spam: 0, trash: 0 });
    assert.deepEqual([...authors.blocked], ['bob@example.com']);
  });

  test('with 10,000 pending comments a queue page costs two indexed queries for its authors, not one per row', { skip: sqliteOnly }, async () => {
    const db = await setup();
    const insert = sqliteOf(db).prepare(
      `insert into comments (post_slug, status, author_name, author_email, body_source, body_html, created_at, updated_at) values (?, ?, ?, ?, 'x', '<p>x</p>', ?, ?)`,
    );
    sqliteOf(db).transaction(() => {
      for (let i = 0; i < 10_000; i++) insert.run(`post-${i % 40}`, 'pending', `Author ${i % 2500}`, `author${i % 2500}@example.com`, t0.getTime() + i, t0.getTime() + i);
      for (let i = 0; i < 2500; i++) insert.run('post-0', i % 3 === 0 ? 'spam' : 'approved', `Author ${i}`, `Author${i}@Example.com`, t0.getTime() - i, t0.getTime() - i);
    })();
    const view = await loadQueue(db, parseQueueQuery(new URLSearchParams('status=pending')));
    assert.equal(view.rows.length, 50);
    assert.equal(view.counts.pending, 10_000);

    // Record every statement the authors' lookup runs.
    const statements: { sql: string; params: unknown[] }[] = [];
    const prepare = sqliteOf(db).prepare.bind(sqliteOf(db));
    sqliteOf(db).prepare = ((source: string) => {
      const statement = prepare(source);
      for (const method of ['all', 'get', 'run'] as const) {
        const original = statement[method].bind(statement) as (...params: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
          statements.push({ sql: source, params });
          return original(...params);
        };
      }
      return statement;
    }) as typeof prepare;
    const authors = await loadQueueAuthors(db, view.rows);
    sqliteOf(db).prepare = prepare;

    assert.equal(statements.length, 2, 'history and blocks: one query each for the whole page');
    const newest = view.rows[0];
    // The newest pending comment is author 2499's: 4 pending here, and one spam under "Author2499@Example.com".
    assert.equal(newest.authorEmail, 'author2499@example.com');
    assert.deepEqual(authors.history.get(newest.authorEmail), { approved: 0, pending: 4, spam: 1, trash: 0 });
    for (const { sql, params } of statements) {
      const plan = (sqliteOf(db).prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(plan, /USING (COVERING )?INDEX/, `uses an index: ${plan}`);
      assert.doesNotMatch(plan, /SCAN (comments|blocked_authors)(?! USING)/, `no full table scan: ${plan}`);
    }
  });
});
