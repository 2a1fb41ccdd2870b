import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../testing.ts';
import { insertModerator, deleteModeratorByEmail } from './moderators.ts';
import { COMMAND_LINE_ACTOR } from '../../src/domain/comments/moderation.ts';
import { countModerationLog, insertModerationLog, insertModerationLogEntries, listModerationLog } from './moderation-log.ts';

const t0 = new Date('2026-11-01T10:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('moderation log queries', () => {
  test('lists entries newest first, ties broken by insertion order', () => {
    const db = createTestDb();
    const first = insertModerationLog(db, { moderatorId: null, moderatorName: COMMAND_LINE_ACTOR, action: 'erase', commentId: 1, createdAt: t0 });
    insertModerationLogEntries(db, [
      { moderatorId: null, moderatorName: 'Ann', action: 'approve', commentId: 2, createdAt: later(5) },
      { moderatorId: null, moderatorName: 'Ann', action: 'spam', commentId: 3, createdAt: later(5) },
    ]);
    const rows = listModerationLog(db);
    assert.deepEqual(rows.map((r) => r.action), ['spam', 'approve', 'erase']);
    assert.equal(rows[2].id, first);
    assert.equal(rows[2].moderatorName, 'command line');
    assert.equal(rows[2].createdAt.toISOString(), t0.toISOString());
    assert.equal(countModerationLog(db), 3);
  });

  test('filters by comment and paginates', () => {
    const ACTIONS = ['approve', 'spam', 'trash', 'restore'] as const;
    const db = createTestDb();
    insertModerationLogEntries(
      db,
      [1, 2, 1, 1].map((commentId, i) => ({ moderatorId: null, moderatorName: 'Ann', action: ACTIONS[i], commentId, createdAt: later(i) })),
    );
    assert.deepEqual(listModerationLog(db, { commentId: 1 }).map((r) => r.action), ['restore', 'trash', 'approve']);
    assert.equal(countModerationLog(db, { commentId: 1 }), 3);
    assert.deepEqual(listModerationLog(db, { limit: 2, offset: 1 }).map((r) => r.action), ['trash', 'spam']);
    insertModerationLogEntries(db, []); // a no-op, not an SQL error
    assert.equal(countModerationLog(db), 4);
  });

  test('entries survive the removal of their moderator, keeping the name', () => {
    const db = createTestDb();
    const id = insertModerator(db, { email: 'ann@example.com', name: 'Ann', passwordHash: 'x', createdAt: t0 });
    insertModerationLog(db, { moderatorId: id, moderatorName: 'Ann', action: 'approve', commentId: 7, detail: 'bulk', createdAt: t0 });
    assert.ok(deleteModeratorByEmail(db, 'ANN@example.com'));
    const [row] = listModerationLog(db);
    assert.equal(row.moderatorId, null);
    assert.equal(row.moderatorName, 'Ann');
    assert.equal(row.detail, 'bulk');
  });
});
