import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../testing.ts';
import { insertModerator, deleteModeratorByEmail } from './moderators.ts';
import { COMMAND_LINE_ACTOR } from '../../src/domain/comments/moderation.ts';
import { countModerationLog, insertModerationLog, insertModerationLogEntries, listModerationLog } from './moderation-log.ts';

const t0 = new Date('2026-11-01T10:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('moderation log queries', () => {
  test('lists entries newest first, ties broken by insertion order', async () => {
    const db = await createTestDb();
    const first = await insertModerationLog(db, { moderatorId: null, moderatorName: COMMAND_LINE_ACTOR, action: 'erase', commentId: 1, createdAt: t0 });
    await insertModerationLogEntries(db, [
      { moderatorId: null, moderatorName: 'Ann', action: 'approve', commentId: 2, createdAt: later(5) },
      { moderatorId: null, moderatorName: 'Ann', action: 'spam', commentId: 3, createdAt: later(5) },
    ]);
    const rows = await listModerationLog(db);
    assert.deepEqual(rows.map((r) => r.action), ['spam', 'approve', 'erase']);
    assert.equal(rows[2].id, first);
    assert.equal(rows[2].moderatorName, 'command line');
    assert.equal(rows[2].createdAt.toISOString(), t0.toISOString());
    assert.equal(await countModerationLog(db), 3);
  });

  test('filters by comment and paginates', async () => {
    const ACTIONS = ['approve', 'spam', 'trash', 'restore'] as const;
    const db = await createTestDb();
    await insertModerationLogEntries(
      db,
      [1, 2, 1, 1].map((commentId, i) => ({ moderatorId: null, moderatorName: 'Ann', action: ACTIONS[i], commentId, createdAt: later(i) })),
    );
    assert.deepEqual((await listModerationLog(db, { commentId: 1 })).map((r) => r.action), ['restore', 'trash', 'approve']);
    assert.equal(await countModerationLog(db, { commentId: 1 }), 3);
    assert.deepEqual((await listModerationLog(db, { limit: 2, offset: 1 })).map((r) => r.action), ['trash', 'spam']);
    await insertModerationLogEntries(db, []); // a no-op, not an SQL error
    assert.equal(await countModerationLog(db), 4);
  });

  test('entries survive the removal of their moderator, keeping the name', async () => {
    const db = await createTestDb();
    const id = await insertModerator(db, { email: 'ann@example.com', name: 'Ann', passwordHash: 'x', createdAt: t0 });
    await insertModerationLog(db, { moderatorId: id, moderatorName: 'Ann', action: 'approve', commentId: 7, detail: 'bulk', createdAt: t0 });
    assert.ok(await deleteModeratorByEmail(db, 'ANN@example.com'));
    const [row] = await listModerationLog(db);
    assert.equal(row.moderatorId, null);
    assert.equal(row.moderatorName, 'Ann');
    assert.equal(row.detail, 'bulk');
  });
});
