import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb } from '../../db/testing.ts';
import { enqueueMail } from '../../db/queries/mail.ts';

// Without SMTP_URL mail goes to the outbox folder; configuration is read once, so set it first.
const outbox = mkdtempSync(join(tmpdir(), 'afterword-outbox-'));
process.env.OUTBOX_DIR = outbox;
delete process.env.SMTP_URL;
const { deliverDueMail } = await import('./mailer.ts');

test('queued mail lands in the outbox, also when an earlier run found nothing to send', async () => {
  const db = createTestDb();
  await deliverDueMail(db); // nothing queued yet: must not leave delivery stuck
  enqueueMail(db, [{ recipient: 'mod@example.com', subject: 'New comment awaiting moderation: Outage', textBody: 'Ada wrote: what happened?' }], new Date());
  await Promise.all([deliverDueMail(db), deliverDueMail(db)]);
  const files = readdirSync(outbox);
  assert.equal(files.length, 1, 'one message, sent once');
  const message = readFileSync(join(outbox, files[0]), 'utf8');
  assert.match(message, /^To: mod@example.com$/m);
  assert.match(message, /Ada wrote: what happened\?/);
  await deliverDueMail(db);
  assert.equal(readdirSync(outbox).length, 1, 'a sent message is not sent again');
});
