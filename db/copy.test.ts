import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from './client.ts';
import { copyDatabase, nonEmptyTables } from './copy.ts';
import { migrateDatabase } from './migrate.ts';
import { insertComment, listCommentsForExport } from './queries/comments.ts';
import { insertModerationLog, listModerationLog } from './queries/moderation-log.ts';
import { enqueueMail } from './queries/mail.ts';
import { addTestModerators, createTestDb } from './testing.ts';

const at = new Date('2026-11-20T08:00:00.123Z');

async function sqliteSite() {
  const db = await openDatabase(':memory:');
  await migrateDatabase(db);
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  const base = { postSlug: 'outage', authorName: 'Ann', authorEmail: 'ann@example.com', bodyHtml: '<p>x</p>', createdAt: at, updatedAt: at };
  // A reply stored before its parent (as an import may): the copy must still link it.
  const reply = await insertComment(db, { ...base, status: 'approved', bodySource: 'reply first' });
  const root = await insertComment(db, { ...base, status: 'approved', bodySource: 'the root', spamScore: 0.125, pinnedAt: at });
  await db.orm.update(db.tables.comments).set({ parentId: root }).where((await import('drizzle-orm')).eq(db.tables.comments.id, reply));
  await insertComment(db, { ...base, status: 'pending', bodySource: 'Grüße, ünïcode ✓', moderatorId: 1 });
  await insertModerationLog(db, { moderatorId: 1, moderatorName: 'Mia', action: 'approve', commentId: root, detail: 'pending → approved', createdAt: at });
  await enqueueMail(db, [{ recipient: 'mia@example.com', subject: 'New comment', textBody: 'hello' }], at);
  return { db, reply, root };
}

test('a copy keeps every row and id, is verified table by table, and the copied site goes on numbering after the copied ids', async () => {
  const { db: source, reply, root } = await sqliteSite();
  const target = await createTestDb();
  const report = await copyDatabase(source, target);
  assert.ok(report.every((t) => t.verified), JSON.stringify(report.filter((t) => !t.verified)));
  assert.equal(report.find((t) => t.table === 'comments')!.rows, 3);
  const copied = await listCommentsForExport(target);
  assert.deepEqual(copied.map((r) => [r.comment.id, r.comment.parentId, r.comment.bodySource, r.comment.createdAt.getTime()]), [
    [reply, root, 'reply first', at.getTime()],
    [root, null, 'the root', at.getTime()],
    [3, null, 'Grüße, ünïcode ✓', at.getTime()],
  ]);
  assert.equal(copied[1].comment.spamScore, 0.125);
  assert.equal((await listModerationLog(target))[0].detail, 'pending → approved');
  // New rows continue after the copied ids instead of colliding with them.
  const next = await insertComment(target, { postSlug: 'outage', status: 'pending', authorName: 'B', authorEmail: 'b@example.com', bodySource: 'new', bodyHtml: '<p>new</p>', createdAt: at, updatedAt: at });
  assert.equal(next, 4);

  // And back into an empty SQLite database: the same checksums.
  const back = await openDatabase(':memory:');
  await migrateDatabase(back);
  const again = await copyDatabase(target, back);
  assert.deepEqual(again.filter((t) => t.table !== 'comments').map((t) => t.checksum), report.filter((t) => t.table !== 'comments').map((t) => t.checksum));
  assert.ok(again.every((t) => t.verified));
  assert.deepEqual(await nonEmptyTables(back), ['moderators', 'comments', 'moderation_log', 'outgoing_mail']);
});
