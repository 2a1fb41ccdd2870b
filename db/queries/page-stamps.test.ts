import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, sqliteOf, addTestModerators, sqliteOnly } from '../testing.ts';
import { insertComment, type NewCommentRow } from './comments.ts';
import { eraseCommenter } from '../../src/services/commenters.ts';
import { bumpPostStamps, cachedPageStampReader, LISTING_SCOPE, postScope, readPageStamp } from './page-stamps.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import { editComment, moderateComments, replyAsModerator } from '../../src/services/moderation.ts';
import { saveRulesFromForm } from '../../src/services/moderation-rules.ts';
import { submitComment } from '../../src/services/comments.ts';
import { createFormToken } from '../../src/services/tokens.ts';

const now = new Date('2026-11-25T12:00:00Z');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };
const row = (over: Partial<NewCommentRow> = {}): NewCommentRow => ({
  postSlug: 'outage', status: 'pending', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'hello', bodyHtml: '<p>hello</p>', createdAt: now, updatedAt: now, ...over,
});

async function setup() {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  const read = (scope: string) => readPageStamp(db, scope);
  const stamps = async () => ({ post: await read(postScope('outage')), other: await read(postScope('other')), listing: await read(LISTING_SCOPE) });
  return { db, stamps };
}

describe('page stamps: only what readers see moves them', () => {
  test('approving, unapproving, editing and replying move the post and the listings, not other posts', async () => {
    const { db, stamps } = await setup();
    const id = await insertComment(db, row());
    let before = await stamps();
    await moderateComments(db, mia, 'approve', [id], now);
    let after = await stamps();
    assert.ok(after.post > before.post && after.listing > before.listing);
    assert.equal(after.other, before.other);

    for (const change of [
      () => editComment(db, mia, id, { name: 'Ann', comment: 'hello again' }, now),
      () => replyAsModerator(db, mia, id, { comment: 'Thanks' }, now),
      () => moderateComments(db, mia, 'unapprove', [id], now),
    ]) {
      before = await stamps();
      await change();
      after = await stamps();
      assert.ok(after.post > before.post, 'the post page is invalidated');
    }
  });

  test('a pending or spam comment, and moderating one that never was public, move nothing', async () => {
    const { db, stamps } = await setup();
    const before = await stamps();
    const secret = 's'.repeat(64);
    const outcome = await submitComment(db, {
      post: { slug: 'outage', title: 'Outage', description: '', pubDate: now, author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 1 },
      fields: { name: 'Bot', email: 'bot@example.com', comment: 'buy now', token: createFormToken(secret, 'outage', new Date(now.getTime() - 10_000)) },
      clientAddress: '192.0.2.9', ownCommentIds: [], secret, now, mailer: { deliver: async () => {} },
      settings: { COMMENT_FLOOD_SECONDS: 15, COMMENT_MIN_SECONDS: 3, SITE_URL: 'https://blog.example' },
    });
    assert.equal(outcome.kind, 'stored');
    const spam = await insertComment(db, row({ status: 'spam' }));
    await moderateComments(db, mia, 'trash', [spam], now);
    await editComment(db, mia, spam, { name: 'Ann', comment: 'still spam' }, now);
    assert.deepEqual(await stamps(), before);
  });

  test('erasing a commenter and changing the rules are seen', async () => {
    const { db, stamps } = await setup();
    await insertComment(db, row({ status: 'approved' }));
    let before = await stamps();
    await eraseCommenter(db, 'ANN@example.com', now);
    assert.ok((await stamps()).post > before.post);
    before = await stamps();
    await saveRulesFromForm(db, mia, { maxLinks: '2', maxDepth: '3' }, now);
    const after = await stamps();
    assert.ok(after.post > before.post && after.other > before.other && after.listing > before.listing);
  });
});

describe('the page cache’s stamp reader', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  test('sees a change made in this process at once, and one committed by another process on its next request', { skip: sqliteOnly }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afterword-stamps-'));
    try {
      const server = await openDatabase(join(dir, 'site.db'));
      await migrateDatabase(server);
      // The CLI (an import, an erase) writes through its own connection.
      const cli = await openDatabase(join(dir, 'site.db'));
      const read = cachedPageStampReader(server);
      const scope = postScope('outage');
      const first = await read(scope);

      await bumpPostStamps(server, ['outage']);
      const afterOwn = await read(scope);
      assert.ok(afterOwn > first, 'a change made through the server’s own connection is seen in the same turn');

      await nextTurn();
      sqliteOf(cli).prepare("update page_stamps set version = version + 1 where scope = 'post:outage'").run();
      await nextTurn();
      assert.ok(await read(scope) > afterOwn, 'a commit by another connection is seen by the next request');
      assert.equal(await read(LISTING_SCOPE), await readPageStamp(server, LISTING_SCOPE));
      await cli.close();
      await server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
