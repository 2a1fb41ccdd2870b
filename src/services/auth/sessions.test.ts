import { sql } from 'drizzle-orm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../../db/testing.ts';
import { insertModerator } from '../../../db/queries/moderators.ts';
import { attemptLogin } from './login.ts';
import { hashPassword } from './password.ts';
import { createSession, hashSessionToken, invalidateSession, SESSION_LIFETIME_MS, validateSessionToken } from './sessions.ts';

const t0 = new Date('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

async function setup() {
  const db = await createTestDb();
  const id = await insertModerator(db, { email: 'mia@example.com', name: 'Mia', passwordHash: 'unused', createdAt: t0 });
  return { db, id };
}

describe('moderator sessions', () => {
  test('a new token is random, unguessable and stored only as its hash', async () => {
    const { db, id } = await setup();
    const a = await createSession(db, id, t0);
    const b = await createSession(db, id, t0);
    assert.notEqual(a.token, b.token);
    assert.match(a.token, /^[\w-]{43}$/);
    const stored = (await db.execute(sql`select id from sessions`)).map((r) => r.id as string);
    assert.ok(!stored.includes(a.token));
    assert.ok(stored.includes(hashSessionToken(a.token)));
  });

  test('validates to its moderator until it expires; expired sessions are removed', async () => {
    const { db, id } = await setup();
    const { token } = await createSession(db, id, t0);
    assert.equal((await validateSessionToken(db, token, at(DAY)))?.moderator.email, 'mia@example.com');
    assert.equal(await validateSessionToken(db, token, at(SESSION_LIFETIME_MS)), null);
    assert.equal(Number((await db.execute(sql`select count(*) as n from sessions`))[0].n), 0);
  });

  test('use in the second half of its life extends it (sliding expiry)', async () => {
    const { db, id } = await setup();
    const { token } = await createSession(db, id, t0);
    assert.equal((await validateSessionToken(db, token, at(DAY)))?.renewedUntil, null);
    const renewed = (await validateSessionToken(db, token, at(SESSION_LIFETIME_MS - DAY)))!;
    assert.equal(renewed.renewedUntil?.getTime(), at(2 * SESSION_LIFETIME_MS - DAY).getTime());
    assert.ok(await validateSessionToken(db, token, at(SESSION_LIFETIME_MS + DAY)));
  });

  test('logout ends it; garbage and unknown tokens are refused', async () => {
    const { db, id } = await setup();
    const { token } = await createSession(db, id, t0);
    await invalidateSession(db, token);
    assert.equal(await validateSessionToken(db, token, t0), null);
    assert.equal(await validateSessionToken(db, 'x'.repeat(43), t0), null);
    assert.equal(await validateSessionToken(db, "' or 1=1 --", t0), null);
    assert.equal(await validateSessionToken(db, undefined, t0), null);
  });
});

describe('login', () => {
  const secret = 's'.repeat(64);
  async function setup() {
    const db = await createTestDb();
    await insertModerator(db, { email: 'mia@example.com', name: 'Mia', passwordHash: await hashPassword('correct horse battery'), createdAt: t0 });
    const attempt = (email: string, password: string, now = t0, clientAddress = '192.0.2.7', deviceToken?: string) =>
      attemptLogin(db, { email, password, clientAddress, deviceToken, secret, now });
    return { db, attempt };
  }

  test('wrong email and wrong password get the same answer; after five attempts even the right password is refused', async () => {
    const { attempt } = await setup();
    assert.deepEqual(await attempt('nobody@example.com', 'correct horse battery'), { ok: false, reason: 'invalid' });
    assert.deepEqual(await attempt('mia@example.com', 'wrong'), { ok: false, reason: 'invalid' });
    const ok = await attempt('MIA@example.com', 'correct horse battery');
    assert.equal(ok.ok, true);

    for (let i = 0; i < 5; i++) await attempt('mia@example.com', 'wrong');
    assert.deepEqual(await attempt('mia@example.com', 'correct horse battery'), { ok: false, reason: 'locked', retryAfterSeconds: 15 * 60 });
    // The email is locked for every client, not only the one that failed.
    assert.equal((await attempt('mia@example.com', 'correct horse battery', t0, '198.51.100.1')).ok, false);
    assert.equal((await attempt('mia@example.com', 'correct horse battery', at(16 * 60 * 1000), '198.51.100.1')).ok, true);
  });

  test('concurrent guesses are counted before any password is checked: at most five are checked', async () => {
    const { attempt } = await setup();
    const wave = [...Array.from({ length: 29 }, (_, i) => attempt('mia@example.com', `wrong ${i}`, t0, `203.0.113.${i}`)), await attempt('mia@example.com', 'correct horse battery', t0, '203.0.113.99')];
    const outcomes = await Promise.all(wave);
    const checked = outcomes.filter((o) => o.ok || o.reason === 'invalid');
    assert.ok(checked.length <= 5, `${checked.length} passwords were checked`);
    assert.equal(outcomes.filter((o) => !o.ok && o.reason === 'locked').length, 30 - checked.length);
    // The right password was the last of the wave: by then the address was locked.
    assert.deepEqual(outcomes[29], { ok: false, reason: 'locked', retryAfterSeconds: 15 * 60 });
  });

  test("strangers guessing at a moderator's email do not lock out the browser the moderator logged in with", async () => {
    const { attempt } = await setup();
    const first = await attempt('mia@example.com', 'correct horse battery');
    assert.ok(first.ok);
    const device = first.deviceToken;
    for (let i = 0; i < 8; i++) await attempt('mia@example.com', `guess ${i}`, at(1000), `198.51.100.${i}`);
    assert.equal((await attempt('mia@example.com', 'correct horse battery', at(2000), '198.51.100.50')).ok, false, 'locked for strangers');
    const own = await attempt('mia@example.com', 'correct horse battery', at(3000), '192.0.2.7', device);
    assert.equal(own.ok, true, "the moderator's own browser still gets in");
    assert.equal(own.ok && own.deviceToken, device, 'and keeps its device cookie');
    // A device cookie is limited too, and is worth nothing for another email.
    for (let i = 0; i < 5; i++) await attempt('mia@example.com', `typo ${i}`, at(4000), '192.0.2.7', device);
    assert.equal((await attempt('mia@example.com', 'correct horse battery', at(5000), '192.0.2.7', device)).ok, false);
    assert.deepEqual(await attempt('nobody@example.com', 'x', at(5000), '192.0.2.200', device), { ok: false, reason: 'invalid' });
  });
});
