import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anotherInstance, createTestDb } from '../testing.ts';
import { claimDueMail, enqueueMail } from './mail.ts';

const now = new Date('2026-11-30T08:00:00Z');
const later = new Date(now.getTime() + 60_000);

test('three deliverers claiming at once each get different mails, and together all of them', async () => {
  const db = await createTestDb();
  await enqueueMail(db, Array.from({ length: 30 }, (_, i) => ({ recipient: `m${i}@example.com`, subject: 'New comment', textBody: `mail ${i}` })), now);
  // On PostgreSQL, three instances: three pools on the same database, so the claims really race.
  const deliverers = [db, anotherInstance(db), anotherInstance(db)];
  const claimed = (await Promise.all(deliverers.map((d) => claimDueMail(d, now, later, 12)))).flat().map((m) => m.id);
  assert.equal(new Set(claimed).size, claimed.length, 'no mail is claimed twice');
  assert.equal(claimed.length, 30);
  assert.deepEqual(await claimDueMail(db, now, later, 50), [], 'claimed mail is not due again before the claim runs out');
  assert.equal((await claimDueMail(db, later, new Date(later.getTime() + 60_000), 50)).length, 30, 'an unsent claim is retried after it runs out');
});
