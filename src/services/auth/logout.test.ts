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

function setup() {
  const db = createTestDb();
  const mia = insertModerator(db, { email: 'mia@example.com', name: 'Mia', passwordHash: 'unused', createdAt: t0 });
  const max = insertModerator(db, { email: 'max@example.com', name: 'Max', passwordHash: 'unused', createdAt: t0 });
  const stored = () => db.$client.prepare('select id from sessions order by id').pluck().all() as string[];
  return { db, mia, max, stored };
}

describe('logout (invalidateSession)', () => {
  test('the token stops validating at once and its row is gone', () => {
    const { db, mia, stored } = setup();
    const { token } = createSession(db, mia, t0);
    assert.equal(validateSessionToken(db, token, t0)?.moderator.name, 'Mia');
    invalidateSession(db, token);
    assert.equal(validateSessionToken(db, token, later), null);
    assert.ok(!stored().includes(hashSessionToken(token)));
  });

  test('ends only that session: the same moderator on another device and other moderators stay logged in', () => {
    const { db, mia, max, stored } = setup();
    const laptop = createSession(db, mia, t0).token;
    const phone = createSession(db, mia, t0).token;
    const other = createSession(db, max, t0).token;
    invalidateSession(db, laptop);
    assert.equal(validateSessionToken(db, laptop, later), null);
    assert.equal(validateSessionToken(db, phone, later)?.moderator.name, 'Mia');
    assert.equal(validateSessionToken(db, other, later)?.moderator.name, 'Max');
    assert.deepEqual(stored(), [hashSessionToken(phone), hashSessionToken(other)].sort());
  });

  test('logging out twice, or with a token that was never issued, changes nothing and does not throw', () => {
    const { db, mia, stored } = setup();
    const { token } = createSession(db, mia, t0);
    const kept = createSession(db, mia, t0).token;
    invalidateSession(db, token);
    invalidateSession(db, token);
    invalidateSession(db, 'x'.repeat(43));
    invalidateSession(db, '');
    assert.deepEqual(stored(), [hashSessionToken(kept)]);
  });

  test('a token that only resembles the session’s stored hash does not end it', () => {
    const { db, mia } = setup();
    const { token } = createSession(db, mia, t0);
    // Someone who read the sessions table holds the hash, not the token: it must not log anyone out.
    invalidateSession(db, hashSessionToken(token));
    assert.equal(validateSessionToken(db, token, later)?.moderator.name, 'Mia');
  });
});
