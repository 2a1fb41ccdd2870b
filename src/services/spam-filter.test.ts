import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, inOrder, addTestModerators } from '../../db/testing.ts';
import { findComment, insertComment, type NewCommentRow } from '../../db/queries/comments.ts';
import { readSpamFilterTotals } from '../../db/queries/spam-filter.ts';
import type { PostSummary } from '../domain/posts/posts.ts';
import { submitComment } from './comments.ts';
import { saveModerationRules, getModerationRules } from './moderation-rules.ts';
import { editComment, moderateComments, replyAsModerator } from './moderation.ts';
import { backfillSpamFilter, loadSpamFilterStatus, rebuildSpamFilter, scoreNewComment } from './spam-filter.ts';
import { createFormToken } from './tokens.ts';

const now = new Date('2026-11-25T12:00:00Z');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const row = (bodySource: string, over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'p', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource, bodyHtml: `<p>${bodySource}</p>`, createdAt: now, updatedAt: now, ...over,
});

const HAM = ['Thanks, the outage timeline is clear.', 'Did the failover work during the incident?', 'How long did the database migration take?'];
const SPAM = ['Cheap pills and casino bonus at https://pills.example', 'Casino bonus spins, cheap offer https://casino.example'];
const SIMILAR = { body: 'Cheap casino offer https://casino.example', name: 'Bob', email: 'bob@example.org', website: null };

async function setup() {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  return db;
}

/** A site whose moderators approved the ham and spammed the spam through the queue. */
async function moderatedSite() {
  const db = await setup();
  const ham = await inOrder(HAM, (body) => insertComment(db, row(body)));
  const spam = await inOrder(SPAM, (body) => insertComment(db, row(body, { authorName: 'Deals' })));
  await moderateComments(db, mia, 'approve', ham, now);
  await moderateComments(db, mia, 'spam', spam, now);
  return { db, ham, spam };
}

describe('spam filter service', () => {
  test('moderator decisions train the filter, and a similar new comment scores as spam', async () => {
    const { db, spam } = await moderatedSite();
    assert.deepEqual(
      { ham: (await readSpamFilterTotals(db))!.hamDocs, spam: (await readSpamFilterTotals(db))!.spamDocs },
      { ham: HAM.length, spam: SPAM.length },
    );
    assert.equal((await findComment(db, spam[0]))!.spamTrainedAs, 'spam');
    const score = (await scoreNewComment(db, SIMILAR))!;
    assert.ok(score.probability > 0.9, `${score.probability}`);
    assert.ok(score.evidence.some((e) => e.token === 'casino' && e.weight > 0));
  });

  test('"not spam" and approving move the counts, so the similar comment scores lower', async () => {
    const { db, spam } = await moderatedSite();
    const before = (await scoreNewComment(db, SIMILAR))!.probability;
    await moderateComments(db, mia, 'restore', [spam[1]], now);
    await moderateComments(db, mia, 'approve', [spam[1]], now);
    const after = (await scoreNewComment(db, SIMILAR))!.probability;
    assert.ok(after < before, `${after} < ${before}`);
    assert.deepEqual([(await readSpamFilterTotals(db))!.hamDocs, (await readSpamFilterTotals(db))!.spamDocs], [HAM.length + 1, SPAM.length - 1]);
  });

  test('spamming an approved comment moves it from ham to spam; trash forgets it; delete keeps what was learned', async () => {
    const { db, ham, spam } = await moderatedSite();
    await moderateComments(db, mia, 'spam', [ham[0]], now);
    assert.deepEqual([(await readSpamFilterTotals(db))!.hamDocs, (await readSpamFilterTotals(db))!.spamDocs], [HAM.length - 1, SPAM.length + 1]);
    await moderateComments(db, mia, 'trash', [ham[1]], now);
    assert.equal((await readSpamFilterTotals(db))!.hamDocs, HAM.length - 2);
    assert.equal((await findComment(db, ham[1]))!.spamTrainedAs, null);
    await moderateComments(db, mia, 'delete', [spam[0]], now);
    assert.equal((await readSpamFilterTotals(db))!.spamDocs, SPAM.length + 1);
  });

  test('a moderator’s edit relearns the comment from its new text', async () => {
    const { db, spam } = await moderatedSite();
    const tokens = async (body: string) => (await scoreNewComment(db, { ...SIMILAR, body }))!.evidence.map((e) => e.token);
    assert.ok(!(await tokens('zeppelin')).includes('zeppelin'), 'not learned yet');
    assert.ok((await tokens('pills')).includes('pills'));
    await editComment(db, mia, spam[0], { name: 'Deals', website: '', comment: 'zeppelin zeppelin' }, now);
    assert.ok((await tokens('zeppelin')).includes('zeppelin'));
    assert.ok(!(await tokens('pills')).includes('pills'), 'only the old text had it: forgotten');
  });

  test('approving by replying teaches ham, and so does the reply', async () => {
    const db = await setup();
    const pending = await insertComment(db, row('A question about the failover'));
    await replyAsModerator(db, mia, pending, { comment: 'It worked as planned.' }, now);
    assert.equal((await readSpamFilterTotals(db))!.hamDocs, 2);
  });

  test('the backfill learns stored decisions once; a rebuild learns them again from scratch', async () => {
    const db = await setup();
    for (const body of HAM) await insertComment(db, row(body, { status: 'approved' }));
    for (const body of SPAM) await insertComment(db, row(body, { status: 'spam', decisionReason: 'imported' }));
    await insertComment(db, row('honeypot bot text', { status: 'spam', decisionReason: 'honeypot' }));
    await insertComment(db, row('still waiting'));
    assert.equal(await readSpamFilterTotals(db), undefined);
    assert.equal(await backfillSpamFilter(db), HAM.length + SPAM.length);
    const totals = await readSpamFilterTotals(db);
    assert.deepEqual([totals!.hamDocs, totals!.spamDocs], [HAM.length, SPAM.length]);
    assert.equal(await backfillSpamFilter(db), null, 'a trained database is not backfilled again');
    assert.equal(await rebuildSpamFilter(db), HAM.length + SPAM.length);
    assert.deepEqual(await readSpamFilterTotals(db), totals);
    assert.equal((await loadSpamFilterStatus(db, 2)).trained, true);
    assert.equal((await loadSpamFilterStatus(db, 3)).trained, false);
  });
});

describe('submitting with the filter', () => {
  const secret = 's'.repeat(64);
  const post: PostSummary = { slug: 'p', title: 'P', description: '', pubDate: new Date('2026-11-01'), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 1 };
  const submit = async (db: Awaited<ReturnType<typeof setup>>, comment: string, clientAddress: string) =>
    (await submitComment(db, {
      post,
      clientAddress,
      ownCommentIds: [],
      secret,
      now: new Date(now.getTime() + 60_000),
      settings: { COMMENT_FLOOD_SECONDS: 15, COMMENT_MIN_SECONDS: 3, SITE_URL: 'https://blog.example' },
      // The moderator's notice is not what this test is about.
      mailer: { deliver: async () => {} },
      fields: { name: 'Bob', email: 'bob@example.org', comment, token: createFormToken(secret, post.slug, now) },
    })) as { kind: 'stored'; id: number; status: string };

  test('every new comment is stored with its score and evidence; the threshold acts once trained', async () => {
    const { db } = await moderatedSite();
    await saveModerationRules(db, { ...await getModerationRules(db), spamMinDecisions: 3 });
    const early = await submit(db, 'Cheap casino offer https://casino.example', '192.0.2.1');
    assert.equal(early.status, 'pending', 'two spam decisions are fewer than the minimum of three');
    const stored = (await findComment(db, early.id))!;
    assert.ok(stored.spamScore! > 0.9);
    assert.ok(JSON.parse(stored.spamEvidence!).some((e: { token: string }) => e.token === 'casino'));

    await moderateComments(db, mia, 'spam', [early.id], now);
    const late = await submit(db, 'Cheap casino bonus https://casino.example', '192.0.2.2');
    assert.deepEqual([late.status, (await findComment(db, late.id))!.decisionReason], ['spam', 'spam-filter']);
    assert.equal((await findComment(db, late.id))!.spamTrainedAs, null, 'its own verdict teaches nothing');

    const ham = await submit(db, 'How long did the database migration take?', '192.0.2.3');
    assert.equal(ham.status, 'pending');
    assert.ok((await findComment(db, ham.id))!.spamScore! < 0.1);
  });

  test('with the threshold off, scores are shown but never act', async () => {
    const { db } = await moderatedSite();
    await saveModerationRules(db, { ...await getModerationRules(db), spamMinDecisions: 1, spamThreshold: null });
    assert.equal((await submit(db, 'Cheap casino offer https://casino.example', '192.0.2.1')).status, 'pending');
  });
});
