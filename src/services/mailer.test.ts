import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb } from '../../db/testing.ts';
import { enqueueMail } from '../../db/queries/mail.ts';
import { createMailer } from './mailer.ts';

// Without SMTP_URL mail goes to the outbox folder.
const settings = (outbox: string) => ({ SMTP_URL: undefined, OUTBOX_DIR: outbox, SITE_URL: 'https://blog.example' });
const message = { recipient: 'mod@example.com', subject: 'New comment awaiting moderation: Outage', textBody: 'Ada wrote: what happened?' };

test('queued mail lands in the outbox, also when an earlier run found nothing to send', async () => {
  const outbox = mkdtempSync(join(tmpdir(), 'afterword-outbox-'));
  const db = await createTestDb();
  const mailer = createMailer(db, settings(outbox));
  await mailer.deliver(); // nothing queued yet: must not leave delivery stuck
  await enqueueMail(db, [message], new Date());
  await Promise.all([await mailer.deliver(), await mailer.deliver()]);
  const files = readdirSync(outbox);
  assert.equal(files.length, 1, 'one message, sent once');
  const sent = readFileSync(join(outbox, files[0]), 'utf8');
  assert.match(sent, /^To: mod@example.com$/m);
  assert.match(sent, /Ada wrote: what happened\?/);
  await mailer.deliver();
  assert.equal(readdirSync(outbox).length, 1, 'a sent message is not sent again');
});

test('two deliverers on one database (the start script and the server bundle) send each message once', async () => {
  const outbox = mkdtempSync(join(tmpdir(), 'afterword-outbox-'));
  const db = await createTestDb();
  await enqueueMail(db, [message, { ...message, recipient: 'other@example.com' }], new Date());
  await Promise.all([await createMailer(db, settings(outbox)).deliver(), await createMailer(db, settings(outbox)).deliver()]);
  assert.deepEqual(
    readdirSync(outbox).map((file) => readFileSync(join(outbox, file), 'utf8').match(/^To: (.*)$/m)?.[1]).sort(),
    ['mod@example.com', 'other@example.com'],
  );
});

test('mail queued before a start is sent when the retry loop starts, without any request', async () => {
  const outbox = mkdtempSync(join(tmpdir(), 'afterword-outbox-'));
  const db = await createTestDb();
  await enqueueMail(db, [message], new Date());
  const mailer = createMailer(db, settings(outbox));
  mailer.startRetryLoop();
  try {
    for (let i = 0; i < 50 && readdirSync(outbox).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(readdirSync(outbox).length, 1);
  } finally {
    mailer.stop();
  }
});
