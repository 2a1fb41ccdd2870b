import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { en, fill, post } from './fixtures/posts';
import { readOutbox } from './fixtures/mailbox';
import { startServer, type RunningServer } from './fixtures/server';
import { createMailLinkToken } from '../src/services/tokens';

/**
 * SPEC "Moderators": "Each mail about a pending comment has links for Approve, Spam and Trash
 * that work without logging in: each opens a page showing the comment and one confirming button
 * (a GET never changes anything: mail scanners prefetch links). Links are signed, single-use,
 * bound to that comment, and expire after 7 days; a used or expired link says so clearly."
 * End to end on a server of its own: a reader comments, the mail lands in the outbox, and the
 * moderator (never logged in) follows its links in a browser with JavaScript on and off.
 */

const POST = 'how-we-test-failover';
const TITLE = post(POST).title;
// Known to the test, so it can sign a link as old as it likes (the expired case).
const SECRET = `e2e-mail-links-${'k'.repeat(40)}`;

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: RunningServer;
let moderator: ModeratorAccount;

test.beforeAll(async () => {
  // A server start and the moderator CLI: slow when the machine is busy.
  test.setTimeout(120_000);
  server = await startServer({ AFTERWORD_SECRET: SECRET });
  moderator = await newModerator(server.databasePath, 'Link Mod');
});

test.afterAll(async () => {
  await server?.stop();
});

type LinkAction = 'approve' | 'spam' | 'trash';

/** A reader's pending comment and the Approve / Spam / Trash links of the moderator's mail about it. */
async function pendingCommentWithMail(browser: Browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const marker = unique('link-');
    const who = commenter('Linked');
    const comment = `Does the drill ${marker} include DNS failover?`;
    await page.goto(`${server.origin}/posts/${POST}`);
    const id = await postComment(page, { ...who, comment });
    const about = () => readOutbox(server.outboxDir).filter((mail) => mail.text.includes(marker));
    await expect.poll(() => about().length, { message: 'the notification is written to the outbox', timeout: 30_000 }).toBe(1);
    const [mail] = about();
    expect(mail.headers['content-type'], 'a plain-text mail').toMatch(/^text\/plain/i);
    expect(mail.to).toContain(moderator.email);
    const link = (label: string) => {
      const found = new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(mail.text)?.[1];
      expect(found, `the mail has a "${label}" link`).toBeTruthy();
      return found!;
    };
    const links: Record<LinkAction, string> = { approve: link('Approve'), spam: link('Spam'), trash: link('Trash') };
    return { id, marker, comment, ...who, links };
  } finally {
    await context.close();
  }
}

/** The public thread as an anonymous reader sees it (through the page cache). */
async function publicThreadText(page: Page): Promise<string> {
  await page.goto(`${server.origin}/posts/${POST}`);
  return page.locator('#comments').innerText();
}

const BUTTON: Record<LinkAction, string> = { approve: en['admin.action.approve'], spam: en['admin.action.spam'], trash: en['admin.action.trash'] };

for (const javaScriptEnabled of [true, false]) {
  test(`Approve from the mail: a page with the comment, one button, and the post shows it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const posted = await pendingCommentWithMail(browser);
    const reader = await browser.newContext();
    const mod = await browser.newContext({ javaScriptEnabled });
    try {
      const readerPage = await reader.newPage();
      expect(await publicThreadText(readerPage), 'pending: not public yet (and now cached)').not.toContain(posted.marker);

      const page = await mod.newPage();
      const opened = await page.goto(posted.links.approve);
      expect(opened?.status()).toBe(200);
      expect(opened?.headers()['cache-control']).toMatch(/no-store/);
      expect(opened?.headers()['referrer-policy']).toBe('same-origin');
      await expect(page.getByRole('heading', { level: 1, name: en['mailLink.title'] })).toBeVisible();
      await expect(page.getByText(en['mailLink.intro.approve'])).toBeVisible();
      await expect(page.getByRole('main')).toContainText(posted.comment);
      await expect(page.getByRole('main')).toContainText(posted.name);
      await expect(page.getByRole('main')).toContainText(fill(en['admin.edit.onPost'], { title: TITLE }));
      expect(await page.content(), 'the commenter’s email is not on a page anyone holding the link can open').not.toContain(posted.email);
      await expect(page.getByRole('button')).toHaveCount(1);
      // axe runs as a script in the page, so only where scripts run.
      if (javaScriptEnabled) expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations).toEqual([]);

      // Opening the link (as a mail scanner does) changed nothing.
      expect(await publicThreadText(readerPage)).not.toContain(posted.marker);

      await page.getByRole('button', { name: BUTTON.approve, exact: true }).click();
      await expect(page.getByRole('status')).toHaveText(en['mailLink.done.approve']);
      await page.getByRole('link', { name: en['mailLink.viewOnPost'] }).click();
      await expect(commentElement(page, posted.id)).toContainText(posted.comment);

      // The cached public page was invalidated: an anonymous reader sees the comment at once.
      expect(await publicThreadText(readerPage)).toContain(posted.comment);

      // Used: the same link says so, and changes nothing.
      const again = await page.goto(posted.links.approve);
      expect(again?.status()).toBe(410);
      await expect(page.getByRole('alert')).toContainText(en['mailLink.used'].split(' (')[0]);
      await expect(page.getByRole('button', { name: BUTTON.approve })).toHaveCount(0);

      // Another link of the same mail says what already happened instead of overruling it.
      const other = await page.goto(posted.links.trash);
      expect(other?.status()).toBe(409);
      await expect(page.getByRole('status')).toContainText(fill(en['mailLink.handled'], { status: en['admin.status.approved'] }));
      await expect(page.getByRole('status')).toContainText(fill(en['mailLink.viaMail'], { name: moderator.name }));
      await expect(page.getByRole('button', { name: BUTTON.trash })).toHaveCount(0);
      expect(await publicThreadText(readerPage)).toContain(posted.comment);
    } finally {
      await reader.close();
      await mod.close();
    }
  });
}

test('Spam and Trash from the mail: done once, logged as the moderator "via email link"', async ({ browser }) => {
  const spammed = await pendingCommentWithMail(browser);
  const trashed = await pendingCommentWithMail(browser);
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    for (const [posted, action] of [[spammed, 'spam'], [trashed, 'trash']] as const) {
      await page.goto(posted.links[action]);
      await expect(page.getByText(en[`mailLink.intro.${action}`])).toBeVisible();
      await page.getByRole('button', { name: BUTTON[action], exact: true }).click();
      await expect(page.getByRole('status')).toHaveText(en[`mailLink.done.${action}`]);
    }

    // In the queue and the activity log, as the moderator the mail went to.
    await login(page, moderator.email, moderator.password, server.origin);
    await openQueue(page, 'spam', spammed.marker, server.origin);
    await expect(queueRow(page, spammed.marker)).toBeVisible();
    await openQueue(page, 'trash', trashed.marker, server.origin);
    await expect(queueRow(page, trashed.marker)).toBeVisible();
    await page.goto(`${server.origin}/admin/log`);
    for (const [posted, action] of [[spammed, 'spam'], [trashed, 'trash']] as const) {
      const entry = page.getByRole('row').filter({ has: page.getByRole('link', { name: `#${posted.id}`, exact: true }) });
      await expect(entry).toContainText(fill(en['mailLink.viaMail'], { name: moderator.name }));
      await expect(entry).toContainText(en[`admin.log.action.${action}`]);
    }
  } finally {
    await context.close();
  }
});

test('an expired or broken link says so and offers no button', async ({ page, browser }) => {
  const posted = await pendingCommentWithMail(browser);
  const token = new URL(posted.links.approve).searchParams.get('link')!;
  const moderatorId = Number(token.split('.')[2]);
  const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
  const expired = createMailLinkToken(SECRET, { commentId: posted.id, action: 'approve', moderatorId }, eightDaysAgo);

  const old = await page.goto(`${server.origin}/moderate?link=${expired}`);
  expect(old?.status()).toBe(410);
  await expect(page.getByRole('alert')).toHaveText(en['mailLink.expired']);
  await expect(page.getByRole('button', { name: BUTTON.approve })).toHaveCount(0);

  const cut = await page.goto(posted.links.approve.slice(0, -5));
  expect(cut?.status()).toBe(404);
  await expect(page.getByRole('alert')).toHaveText(en['mailLink.invalid']);

  // Neither touched the comment: its own link still works.
  await page.goto(posted.links.approve);
  await expect(page.getByRole('button', { name: BUTTON.approve, exact: true })).toBeVisible();
});

test('the button refuses a cross-site post (no change), like every other form', async ({ page, browser, request }) => {
  const posted = await pendingCommentWithMail(browser);
  const token = new URL(posted.links.spam).searchParams.get('link')!;
  const forged = await request.post(`${server.origin}/moderate?link=${token}&_action=mailLink.confirm`, {
    headers: { Origin: 'https://evil.example' },
    form: { link: token },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  await page.goto(posted.links.spam);
  await expect(page.getByRole('button', { name: BUTTON.spam, exact: true }), 'the link is unused and the comment still pending').toBeVisible();
  await expect(page.getByText(en['mailLink.intro.spam'])).toBeVisible();
});
