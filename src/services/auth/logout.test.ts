import { sql } from 'drizzle-orm';
// Logout as the admin.logout action performs it (invalidateSession on the cookie's token):
// that session ends on the server for good, and nothing else does.
// Run: node --import tsx --test src/services/auth/logout.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../../db/testing.ts';
import { insertModerator } from '../../../db/queries/moderators.ts';
import { createSession, hashSessionToken, invalidateSession, validateSessionToken } from './sessions.ts';

const t0 = new Date('2026-11-25T12:00:00Z');
const later = new Date(t0.getTime() + 60_000);

async function setup() {
  const db = await createTestDb();
  const mia = await insertModerator(db, { email: 'mia@example.com', name: 'Mia', passwordHash: 'unused', createdAt: t0 });
  const max = await insertModerator(db, { email: 'max@example.com', name: 'Max', passwordHash: 'unused', createdAt: t0 });
  const stored = async () => (await db.execute(sql`select id from sessions order by id`)).map((r) => r.id as string);
  return { db, mia, max, stored };
}

describe('logout (invalidateSession)', () => {
  test('the token stops validating at once and its row is gone', async () => {
    const { db, mia, stored } = await setup();
    const { token } = await createSession(db, mia, t0);
    assert.equal((await validateSessionToken(db, token, t0))?.moderator.name, 'Mia');
    await invalidateSession(db, token);
    assert.equal(await validateSessionToken(db, token, later), null);
    assert.ok(!(await stored()).includes(hashSessionToken(token)));
  });

  test('ends only that session: the same moderator on another device and other moderators stay logged in', async () => {
    const { db, mia, max, stored } = await setup();
    const laptop = (await createSession(db, mia, t0)).token;
    const phone = (await createSession(db, mia, t0)).token;
    const other = (await createSession(db, max, t0)).token;
    await invalidateSession(db, laptop);
    assert.equal(await validateSessionToken(db, laptop, later), null);
    assert.equal((await validateSessionToken(db, phone, later))?.moderator.name, 'Mia');
    assert.equal((await validateSessionToken(db, other, later))?.moderator.name, 'Max');
    assert.deepEqual(await stored(), [hashSessionToken(phone), hashSessionToken(other)].sort());
  });

  test('logging out twice, or with a token that was never issued, changes nothing and does not throw', async () => {
    const { db, mia, stored } = await setup();
    const { token } = await createSession(db, mia, t0);
    const kept = (await createSession(db, mia, t0)).token;
    await invalidateSession(db, token);
    await invalidateSession(db, token);
    await invalidateSession(db, 'x'.repeat(43));
    await invalidateSession(db, '');
    assert.deepEqual(await stored(), [hashSessionToken(kept)]);
  });

  test('a token that only resembles the session’s stored hash does not end it', async () => {
    const { db, mia } = await setup();
    const { token } = await createSession(db, mia, t0);
    // Someone who read the sessions table holds the hash, not the token: it must not log anyone out.
    await invalidateSession(db, hashSessionToken(token));
    assert.equal((await validateSessionToken(db, token, later))?.moderator.name, 'Mia');
  });
});
