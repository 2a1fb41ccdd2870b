import { expect, test, type Browser, type Page } from '@playwright/test';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow } from './fixtures/admin';
import { approveComment, commentElement, commenter, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { en, fill } from './fixtures/posts';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * SPEC "Moderators": "Pin / Unpin an approved top-level comment (pinned comments show first,
 * marked "Pinned"); Block author sends that author's future comments (by email, and by client
 * hash) straight to spam, listed and removable in the rules; each queue row shows the author's
 * history (how many of their comments were approved, spammed)." In a browser with JavaScript on
 * and off, through the labels a moderator reads.
 */

test.describe.configure({ timeout: 120_000 });

// One post per run of the pin test, so the two runs never share a thread's pins.
const PIN_POSTS = { on: 'rate-limiting-sms', off: 'number-porting-explained' } as const;

/** The top-level comments of the public thread, in the order shown. */
async function threadOrder(page: Page): Promise<number[]> {
  const ids = await page.locator('#comments ol.comment-list > li.comment').evaluateAll((items) => items.map((item) => item.id));
  return ids.map((id) => Number(id.replace('comment-', '')));
}

for (const javaScriptEnabled of [true, false]) {
  test(`Pin puts an approved comment first, marked "Pinned"; Unpin puts it back (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser, baseURL }) => {
    const slug = PIN_POSTS[javaScriptEnabled ? 'on' : 'off'];
    const marker = unique('pin-');
    const reader = await browser.newContext({ baseURL, javaScriptEnabled });
    const mod = await browser.newContext({ baseURL, javaScriptEnabled });
    try {
      const page = await reader.newPage();
      await page.goto(`/posts/${slug}`);
      const older = await postComment(page, { ...commenter('Early'), comment: `First thoughts ${marker}` });
      await page.goto(`/posts/${slug}`);
      const newer = await postComment(page, { ...commenter('Late'), comment: `The useful answer ${marker}` });
      await approveComment(older, new URL(baseURL!).origin);
      await approveComment(newer, new URL(baseURL!).origin);

      const moderator = await newModerator(sharedDatabase(), 'Pin Mod');
      const admin = await mod.newPage();
      await login(admin, moderator.email, moderator.password);
      await openQueue(admin, 'approved', marker);
      await expect(queueRow(admin, `First thoughts ${marker}`).getByRole('button', { name: en['admin.action.unpin'] })).toHaveCount(0);
      await queueRow(admin, `The useful answer ${marker}`).getByRole('button', { name: en['admin.action.pin'], exact: true }).click();
      await expect(admin.getByRole('status')).toHaveText(en['admin.done.pin']);
      await expect(queueRow(admin, `The useful answer ${marker}`)).toContainText(en['admin.queue.pinned']);

      // An anonymous reader (the page cache) sees the new order at once.
      const anonymous = await browser.newContext({ baseURL, javaScriptEnabled });
      try {
        const readerPage = await anonymous.newPage();
        await readerPage.goto(`/posts/${slug}`);
        expect((await threadOrder(readerPage))[0]).toBe(newer);
        await expect(commentElement(readerPage, newer).locator('> article')).toContainText(en['comments.pinned']);
        await expect(commentElement(readerPage, older)).not.toContainText(en['comments.pinned']);

        await queueRow(admin, `The useful answer ${marker}`).getByRole('button', { name: en['admin.action.unpin'], exact: true }).click();
        await expect(admin.getByRole('status')).toHaveText(en['admin.done.unpin']);
        await readerPage.goto(`/posts/${slug}`);
        const order = await threadOrder(readerPage);
        expect(order.indexOf(older)).toBeLessThan(order.indexOf(newer));
        await expect(commentElement(readerPage, newer)).not.toContainText(en['comments.pinned']);
      } finally {
        await anonymous.close();
      }

      // Both recorded in the activity log.
      await admin.goto('/admin/log');
      for (const action of ['pin', 'unpin'] as const) {
        await expect(admin.getByRole('row').filter({ hasText: moderator.name }).filter({ hasText: en[`admin.log.action.${action}`] }).first()).toBeVisible();
      }
    } finally {
      await reader.close();
      await mod.close();
    }
  });
}

test('with newest first (?corder=newest) a pinned comment still comes first, the others latest first after it', async ({ page, browser, baseURL }) => {
  // A post of its own: no other test pins there, so the first thread is this test's pin.
  const slug = 'our-move-to-ipv6';
  const marker = unique('newest-');
  const origin = new URL(baseURL!).origin;
  await page.goto(`/posts/${slug}`);
  const early = await postComment(page, { ...commenter('Early'), comment: `Pinned early ${marker}` });
  await page.goto(`/posts/${slug}`);
  const late = await postComment(page, { ...commenter('Late'), comment: `Written later ${marker}` });
  await approveComment(early, origin);
  await approveComment(late, origin);
  const moderator = await newModerator(sharedDatabase(), 'Newest Mod');
  const mod = await browser.newContext({ baseURL });
  const anonymous = await browser.newContext({ baseURL });
  try {
    const admin = await mod.newPage();
    await login(admin, moderator.email, moderator.password);
    await openQueue(admin, 'approved', marker);
    await queueRow(admin, `Pinned early ${marker}`).getByRole('button', { name: en['admin.action.pin'], exact: true }).click();
    await expect(admin.getByRole('status')).toHaveText(en['admin.done.pin']);

    const readerPage = await anonymous.newPage();
    await readerPage.goto(`/posts/${slug}?corder=newest`);
    const order = await threadOrder(readerPage);
    expect(order[0], 'the pinned comment leads newest first too').toBe(early);
    expect(order[1], 'then the latest thread').toBe(late);
    await expect(commentElement(readerPage, early).locator('> article')).toContainText(en['comments.pinned']);

    // The post as it was for the other tests: unpinned.
    await queueRow(admin, `Pinned early ${marker}`).getByRole('button', { name: en['admin.action.unpin'], exact: true }).click();
    await expect(admin.getByRole('status')).toHaveText(en['admin.done.unpin']);
  } finally {
    await mod.close();
    await anonymous.close();
  }
});

test('a reply cannot be pinned: the queue offers no Pin for it, and the detail page neither', async ({ page, browser, baseURL }) => {
  const slug = PIN_POSTS.on;
  const marker = unique('reply-');
  await page.goto(`/posts/${slug}`);
  const parent = await postComment(page, { ...commenter('Parent'), comment: `Parent ${marker}` });
  await approveComment(parent, new URL(baseURL!).origin);
  await page.goto(`/posts/${slug}?replyto=${parent}#respond`);
  const reply = await postComment(page, { ...commenter('Child'), comment: `Reply ${marker}` });
  await approveComment(reply, new URL(baseURL!).origin);
  const moderator = await newModerator(sharedDatabase(), 'Reply Mod');
  const context = await browser.newContext({ baseURL });
  try {
    const admin = await context.newPage();
    await login(admin, moderator.email, moderator.password);
    await openQueue(admin, 'approved', marker);
    await expect(queueRow(admin, `Parent ${marker}`).getByRole('button', { name: en['admin.action.pin'], exact: true })).toBeVisible();
    await expect(queueRow(admin, `Reply ${marker}`).getByRole('button', { name: en['admin.action.pin'], exact: true })).toHaveCount(0);
    await admin.goto(`/admin/comments/${reply}`);
    await expect(admin.getByRole('button', { name: en['admin.action.pin'], exact: true })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

// Blocking by client address blocks every reader of the shared server (they all come from
// 127.0.0.1): this runs on a server of its own.
test.describe('Block author', () => {
  // One server for both runs: a failure skips the rest instead of starting another beside it.
  test.describe.configure({ mode: 'serial' });
  let server: RunningServer;
  let moderator: ModeratorAccount;
  const POST = 'how-we-test-failover';

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer();
    moderator = await newModerator(server.databasePath, 'Block Mod');
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  async function comment(browser: Browser, javaScriptEnabled: boolean, fields: { name: string; email: string; comment: string }) {
    const context = await browser.newContext({ javaScriptEnabled });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/posts/${POST}`);
      const id = await postComment(page, fields);
      await expect(commentElement(page, id)).toContainText(en['comments.awaitingBadge']);
      return id;
    } finally {
      await context.close();
    }
  }

  for (const javaScriptEnabled of [true, false]) {
    test(`Block author sends their next comments to spam, shows their history, and Unblock on the rules page lifts it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
      const marker = unique('block-');
      const who = commenter('Pest');
      await comment(browser, javaScriptEnabled, { ...who, comment: `First ${marker}` });

      const context = await browser.newContext({ javaScriptEnabled });
      try {
        const admin = await context.newPage();
        await login(admin, moderator.email, moderator.password, server.origin);
        await openQueue(admin, 'pending', marker, server.origin);
        const first = queueRow(admin, `First ${marker}`);
        await expect(first).toContainText(`${en['admin.queue.history']} ${fill(en['admin.queue.history.approved'], { count: 0 })}`);
        await first.getByRole('button', { name: en['admin.action.block'], exact: true }).click();
        await expect(admin.getByRole('status')).toHaveText(en['admin.done.block']);
        await expect(queueRow(admin, `First ${marker}`)).toContainText(en['admin.queue.blocked']);
        await expect(queueRow(admin, `First ${marker}`).getByRole('button', { name: en['admin.action.block'] })).toHaveCount(0);

        // The same author again, the email typed in other letter case: to them it looks pending as usual.
        const again = await comment(browser, javaScriptEnabled, { name: who.name, email: who.email.toUpperCase(), comment: `Second ${marker}` });
        await openQueue(admin, 'spam', marker, server.origin);
        const spammed = queueRow(admin, `Second ${marker}`);
        await expect(spammed).toContainText(fill(en['admin.queue.reason'], { reason: en['admin.reason.blocked-author'] }));
        await expect(spammed).toContainText(fill(en['admin.queue.history.spam'], { count: 1 }));
        await expect(spammed.getByRole('link', { name: fill(en['admin.queue.history.spam'], { count: 1 }) })).toHaveAttribute('href', new RegExp(`status=spam&q=`));
        expect(again).toBeGreaterThan(0);

        // Listed on the rules page; Unblock lifts it.
        await admin.goto(`${server.origin}/admin/settings`);
        const section = admin.getByRole('region', { name: en['admin.rules.blocked.title'] });
        const entry = section.getByRole('listitem').filter({ hasText: who.name });
        await expect(entry).toContainText(who.email.toLowerCase());
        await expect(entry).toContainText(en['admin.rules.blocked.alsoAddress']);
        await entry.getByRole('button', { name: en['admin.action.unblock'], exact: true }).click();
        await expect(admin.getByRole('status')).toHaveText(en['admin.done.unblock']);
        await expect(admin.getByRole('region', { name: en['admin.rules.blocked.title'] }).getByRole('listitem').filter({ hasText: who.name })).toHaveCount(0);

        // Unblocked: the next comment waits in the queue like anyone's.
        await comment(browser, javaScriptEnabled, { ...who, comment: `Third ${marker}` });
        await openQueue(admin, 'pending', marker, server.origin);
        await expect(queueRow(admin, `Third ${marker}`)).toBeVisible();
        await expect(queueRow(admin, `Third ${marker}`)).not.toContainText(en['admin.queue.blocked']);

        await admin.goto(`${server.origin}/admin/log`);
        await expect(admin.getByRole('row').filter({ hasText: en['admin.log.action.block'] }).filter({ hasText: moderator.name }).first()).toBeVisible();
        await expect(admin.getByRole('row').filter({ hasText: en['admin.log.action.unblock'] }).filter({ hasText: moderator.name }).first()).toBeVisible();
      } finally {
        await context.close();
      }
    });
  }
});
