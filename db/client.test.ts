import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSetting, writeSetting } from './queries/settings.ts';
import { insertModerationLog, listModerationLog } from './queries/moderation-log.ts';
import { createTestDb } from './testing.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = new Date('2026-11-30T08:00:00Z');
const entry = (detail: string) => ({ moderatorId: null, moderatorName: 'test', action: 'erase' as const, commentId: null, detail, createdAt: at });

test('write transactions take turns: two read-then-write steps that wait in between do not lose an update', async () => {
  const db = await createTestDb();
  await writeSetting(db, 'counter', '0');
  const increment = () =>
    db.transaction(async (tx) => {
      const seen = Number(await readSetting(tx, 'counter'));
      await pause(20); // another request gets the event loop here
      await writeSetting(tx, 'counter', String(seen + 1));
    });
  await Promise.all([increment(), increment(), increment()]);
  assert.equal(await readSetting(db, 'counter'), '3');
});

test('a write made outside an open transaction is not swept into it: the transaction’s rollback keeps it', async () => {
  const db = await createTestDb();
  const undone = db
    .transaction(async (tx) => {
      await insertModerationLog(tx, entry('inside'));
      await pause(20);
      throw new Error('undo');
    })
    .catch((error: Error) => error.message);
  const outside = (async () => {
    await pause(5);
    await insertModerationLog(db, entry('outside'));
  })();
  assert.equal(await undone, 'undo');
  await outside;
  assert.deepEqual((await listModerationLog(db)).map((e) => e.detail), ['outside']);
});

test('a transaction opened on the connection from inside another nests in it instead of waiting forever', async () => {
  const db = await createTestDb();
  await db.transaction(async () => {
    await db.transaction(async (inner) => insertModerationLog(inner, entry('nested')));
  });
  assert.deepEqual((await listModerationLog(db)).map((e) => e.detail), ['nested']);
});
