import { expect, request as playwrightRequest, test, type Browser, type Page } from '@playwright/test';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow, rowButton } from './fixtures/admin';
import { commentElement, commenter, commentForm, fillCommentForm, postComment, unique } from './fixtures/comments';
import { en, fill, post } from './fixtures/posts';
import { linkIn, readOutbox, startSmtpServer, type Mail } from './fixtures/mailbox';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * Reply notifications (SPEC "Readers and commenters"): the box "Notify me of replies by email",
 * one confirmation mail with a link, nothing about replies before it is used, one mail per
 * approved reply after approval, one-click unsubscribe (link, List-Unsubscribe headers, RFC 8058
 * POST without login). Each journey runs on a server of its own, once without JavaScript with
 * mail in the outbox folder and once with JavaScript through a real SMTP server.
 */

const POST = 'how-we-test-failover';
const TITLE = post(POST).title;

test.describe.configure({ timeout: 180_000 });

const notifyBox = (page: Page) => commentForm(page).getByRole('checkbox', { name: en['form.notify'], exact: true });

async function approve(moderatorPage: Page, server: RunningServer, text: string): Promise<void> {
  await openQueue(moderatorPage, 'pending', text, server.origin);
  await rowButton(queueRow(moderatorPage, text), 'approve').click();
  await expect(queueRow(moderatorPage, text)).toHaveCount(0);
}

async function moderatorPage(browser: Browser, server: RunningServer, moderator: ModeratorAccount): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, moderator.email, moderator.password, server.origin);
  return page;
}

for (const variant of [
  { name: 'without JavaScript, mail in the outbox folder', js: false, smtp: false },
  { name: 'with JavaScript, mail through SMTP', js: true, smtp: true },
]) {
  test(`reply notifications from ticking the box to unsubscribing, ${variant.name}`, async ({ browser }) => {
    const smtp = variant.smtp ? await startSmtpServer() : null;
    const server = await startServer(smtp ? { SMTP_URL: `smtp://localhost:${smtp.port}` } : {});
    const inbox = (): Mail[] => (smtp ? smtp.mails() : readOutbox(server.outboxDir));
    try {
      const marker = unique('notify-');
      const moderator = await newModerator(server.databasePath, 'Notify Mod');
      const reader = await (await browser.newContext({ javaScriptEnabled: variant.js })).newPage();
      const ada = commenter('Ada');
      const mailsToAda = () => inbox().filter((m) => m.to.includes(ada.email));
      const replyMails = () => mailsToAda().filter((m) => m.subject === fill(en['mail.reply.subject'], { title: TITLE }));

      // 1. The box is there, unticked; ticking it mails one confirmation link.
      await reader.goto(`${server.origin}/posts/${POST}`);
      await expect(notifyBox(reader)).not.toBeChecked();
      await fillCommentForm(reader, { ...ada, comment: `Question ${marker}: is the replica promoted automatically?` });
      await notifyBox(reader).check();
      const question = await postComment(reader, {});
      await expect(commentElement(reader, question)).toContainText(en['comments.notify.pending']);
      await expect.poll(() => mailsToAda().length, { message: `the confirmation arrives (server output:\n${server.output()})`, timeout: 30_000 }).toBe(1);
      const [confirmation] = mailsToAda();
      expect(confirmation.subject).toBe(fill(en['mail.confirm.subject'], { title: TITLE }));
      expect(confirmation.html, 'an HTML part beside the text').toContain('/notifications/confirm?token=');
      const confirmUrl = linkIn(confirmation.text, `${server.origin}/notifications/confirm?token=`);

      // A forged link says so.
      const forged = await reader.goto(`${confirmUrl.slice(0, -4)}AAAA`);
      expect(forged?.status()).toBe(400);
      await expect(reader.getByText(en['notify.link.invalid'])).toBeVisible();

      // 2. The question is published, Bob answers, a moderator approves the answer: not confirmed yet, so no mail.
      const moderating = await moderatorPage(browser, server, moderator);
      await approve(moderating, server, marker);
      const bob = await (await browser.newContext({ javaScriptEnabled: variant.js })).newPage();
      await bob.goto(`${server.origin}/posts/${POST}?replyto=${question}#respond`);
      const bobWho = commenter('Bob');
      await postComment(bob, { ...bobWho, comment: `Answer ${marker}: yes, after 30 seconds.` });
      await approve(moderating, server, `Answer ${marker}`);

      // 3. Opening the link changes nothing by itself (mail scanners open links); the button confirms.
      await reader.goto(confirmUrl);
      const confirmedAt = Date.now();
      await reader.getByRole('button', { name: en['notify.confirm.button'] }).click();
      await expect(reader.getByText(en['notify.confirm.done'])).toBeVisible();
      await reader.goto(confirmUrl);
      await expect(reader.getByText(en['notify.confirm.already'])).toBeVisible();

      // The answer approved before the confirmation is mailed now, once, and only now.
      await expect.poll(() => replyMails().length, { message: 'the reply mail arrives after confirming', timeout: 30_000 }).toBe(1);
      const [first] = replyMails();
      expect(first.at, 'nothing about replies was sent before the link was used').toBeGreaterThanOrEqual(confirmedAt);
      expect(first.text).toContain(fill(en['mail.reply.intro'], { name: bobWho.name, title: TITLE }));
      expect(first.text).toContain(`> Answer ${marker}: yes, after 30 seconds.`);
      expect(first.html).toContain('<blockquote');
      const unsubscribeUrl = linkIn(first.text, `${server.origin}/notifications/unsubscribe?token=`);
      expect(first.headers['list-unsubscribe']).toBe(`<${unsubscribeUrl}>`);
      expect(first.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

      // 4. A reply held for moderation mails when a moderator approves it, not before.
      const carl = await (await browser.newContext({ javaScriptEnabled: variant.js })).newPage();
      await carl.goto(`${server.origin}/posts/${POST}?replyto=${question}#respond`);
      await postComment(carl, { ...commenter('Carl'), comment: `Follow-up ${marker}: and the old primary?` });
      const approvedAt = Date.now();
      await approve(moderating, server, `Follow-up ${marker}`);
      await expect.poll(() => replyMails().length, { message: 'the second reply mail arrives after approval', timeout: 30_000 }).toBe(2);
      expect(replyMails()[1].at).toBeGreaterThanOrEqual(approvedAt);
      expect(replyMails()[1].text).toContain(`> Follow-up ${marker}: and the old primary?`);

      // 5. The confirmed address is remembered in this browser: the next comment needs no new confirmation.
      await reader.goto(`${server.origin}/posts/${POST}`);
      await fillCommentForm(reader, { ...ada, comment: `Thanks ${marker}!` });
      await notifyBox(reader).check();
      const thanks = await postComment(reader, {});
      await expect(commentElement(reader, thanks)).toContainText(en['comments.notify.active']);

      // 6. Unsubscribing: the page's button (no JavaScript) or the mail client's one-click POST (RFC 8058), no login.
      if (variant.js) {
        const mailClient = await playwrightRequest.newContext();
        const response = await mailClient.post(unsubscribeUrl, { form: { 'List-Unsubscribe': 'One-Click' } });
        expect(response.status()).toBe(200);
        expect(await response.text()).toContain(en['notify.unsubscribe.done']);
        await mailClient.dispose();
      } else {
        await reader.goto(unsubscribeUrl);
        await reader.getByRole('button', { name: en['notify.unsubscribe.button'] }).click();
        await expect(reader.getByText(en['notify.unsubscribe.done'])).toBeVisible();
      }
      await reader.goto(unsubscribeUrl);
      await expect(reader.getByText(en['notify.unsubscribe.already'])).toBeVisible();
      expect(mailsToAda().filter((m) => m.subject === confirmation.subject), 'one confirmation in all').toHaveLength(1);
    } finally {
      await server.stop();
      await smtp?.close();
    }
  });
}
