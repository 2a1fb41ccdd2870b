import { expect, test, type Page } from '@playwright/test';
import { createServer, type AddressInfo } from 'node:net';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { en, escapeRegExp, post } from './fixtures/posts';
import { readOutbox, startSmtpServer, type Mail } from './fixtures/mailbox';
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
function expectNotification(mail: Mail, server: RunningServer, moderator: ModeratorAccount, posted: { name: string; comment: string }) {
  expect(mail.headers['content-type'], 'a plain-text mail').toMatch(/^text\/plain/i);
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

    const about = () => smtp.mails().filter((m) => m.text.includes(posted.marker));
    await expect
      .poll(() => moderators.map((m) => about().filter((mail) => mail.recipients.includes(m.email)).length), {
        message: `one message per moderator arrives (server output:\n${server.output()})`,
        timeout: 30_000,
      })
      .toEqual([1, 1]);
    for (const moderator of moderators) {
      const [mail] = about().filter((m) => m.recipients.includes(moderator.email));
      expect(mail.recipients, 'each moderator gets their own message').toEqual([moderator.email]);
      expectNotification(mail, server, moderator, posted);
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

    const outbox = () => readOutbox(server.outboxDir).filter((mail) => mail.text.includes(posted.marker));
    await expect.poll(() => outbox().length, { message: `an .eml file appears in ${server.outboxDir}`, timeout: 30_000 }).toBe(1);
    expectNotification(outbox()[0], server, moderator, posted);
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
