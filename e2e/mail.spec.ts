import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { en, escapeRegExp, post } from './fixtures/posts';
import { decodeMail, type DecodedMail } from './fixtures/mail';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * Moderator notifications (SPEC "Moderation": "Each new pending comment sends one email to every
 * moderator (via SMTP_URL, else the outbox folder). A mail failure never loses or blocks the
 * comment."), end to end: a comment posted in the browser on a server of its own, and the mail
 * received by a real SMTP server started here, or written to the outbox folder.
 */

const POST = 'how-we-test-failover';
const TITLE = post(POST).title;

test.describe.configure({ timeout: 90_000 });

interface ReceivedMail {
  recipients: string[];
  raw: string;
}

/** An SMTP server on a free port that keeps every message it receives. */
async function startSmtpServer(): Promise<{ port: number; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ recipients: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  // No host: listens on every local address, so "localhost" works whether it resolves to ::1 or 127.0.0.1.
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, () => resolve());
  });
  const { port } = smtp.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, 'localhost', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Posts a pending comment through the form on `server`, as a reader; returns what was posted. */
async function postPendingComment(page: Page, server: RunningServer) {
  const marker = unique('mail-');
  const who = commenter('Mailer');
  const comment = `Failover drill ${marker}: do you also cut the database replica's link?`;
  await page.goto(`${server.origin}/posts/${POST}`);
  const id = await postComment(page, { ...who, comment });
  await expect(commentElement(page, id)).toContainText(en['comments.awaiting']);
  return { id, marker, comment, ...who };
}

/** The notification says what a moderator needs: post, author, text, and where to moderate. */
function expectNotification(mail: DecodedMail, server: RunningServer, moderator: ModeratorAccount, posted: { name: string; comment: string }) {
  expect(mail.to).toContain(moderator.email);
  expect(mail.subject).toContain(TITLE);
  expect(mail.text).toContain(TITLE);
  expect(mail.text).toContain(posted.name);
  expect(mail.text).toContain(posted.comment);
  expect(mail.text).toContain(`${server.origin}/admin`);
}

test('a new pending comment is mailed to every moderator through SMTP_URL', async ({ page }) => {
  const smtp = await startSmtpServer();
  let server: RunningServer | undefined;
  try {
    server = await startServer({ SMTP_URL: `smtp://localhost:${smtp.port}` });
    const moderators = [await newModerator(server.databasePath, 'Smtp Mod'), await newModerator(server.databasePath, 'Smtp Second')];
    const posted = await postPendingComment(page, server);

    const about = () => smtp.received.filter((m) => decodeMail(m.raw).text.includes(posted.marker));
    await expect
      .poll(() => moderators.map((m) => about().filter((mail) => mail.recipients.includes(m.email)).length), {
        message: `one message per moderator arrives (server output:\n${server.output()})`,
        timeout: 30_000,
      })
      .toEqual([1, 1]);
    for (const moderator of moderators) {
      const [mail] = about().filter((m) => m.recipients.includes(moderator.email));
      expect(mail.recipients, 'each moderator gets their own message').toEqual([moderator.email]);
      expectNotification(decodeMail(mail.raw), server, moderator, posted);
    }
    expect(about().flatMap((m) => m.recipients), 'the commenter is not mailed').not.toContain(posted.email);
  } finally {
    await server?.stop();
    await smtp.close();
  }
});

test('without SMTP_URL the notification is written as an .eml file to the outbox folder', async ({ page }) => {
  const server = await startServer();
  try {
    const moderator = await newModerator(server.databasePath, 'Outbox Mod');
    const posted = await postPendingComment(page, server);

    const outbox = () => {
      let files: string[];
      try {
        files = readdirSync(server.outboxDir).filter((f) => f.endsWith('.eml'));
      } catch {
        return []; // not created yet
      }
      return files.map((f) => readFileSync(join(server.outboxDir, f), 'utf8')).filter((raw) => decodeMail(raw).text.includes(posted.marker));
    };
    await expect.poll(() => outbox().length, { message: `an .eml file appears in ${server.outboxDir}`, timeout: 30_000 }).toBe(1);
    expectNotification(decodeMail(outbox()[0]), server, moderator, posted);
  } finally {
    await server.stop();
  }
});

test('with the SMTP server down the comment is still stored and shown to its author as awaiting moderation', async ({ page, browser }) => {
  const port = await closedPort();
  const server = await startServer({ SMTP_URL: `smtp://localhost:${port}` });
  try {
    const moderator = await newModerator(server.databasePath, 'Down Mod');
    // postPendingComment checks POST → 303 → the post, showing the comment "awaiting moderation".
    const posted = await postPendingComment(page, server);

    // The delivery was attempted and failed (logged), without touching the comment.
    await expect
      .poll(() => server.output(), { message: 'the failed delivery is logged', timeout: 30_000 })
      .toMatch(new RegExp(`${escapeRegExp(moderator.email)}.*fail|fail.*${escapeRegExp(moderator.email)}`, 'i'));
    await page.reload();
    await expect(commentElement(page, posted.id)).toContainText(posted.comment);
    await expect(commentElement(page, posted.id)).toContainText(en['comments.awaiting']);

    // Stored: the moderator finds it in the queue.
    const context = await browser.newContext();
    try {
      const modPage = await context.newPage();
      await login(modPage, moderator.email, moderator.password, server.origin);
      await openQueue(modPage, 'pending', posted.marker, server.origin);
      await expect(queueRow(modPage, posted.comment)).toContainText(posted.name);
    } finally {
      await context.close();
    }
    expect(server.process.exitCode, 'the server is still running').toBeNull();
  } finally {
    await server.stop();
  }
});
