import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createModerator, doneNotice, login, type ModeratorAccount, moderatorAccount, openQueue, queueRow, rowButton, serverWithModerator } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { commentsContaining } from './fixtures/db';
import { allPosts, de as deStrings, en, fill } from './fixtures/posts';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * The learning spam filter, as a moderator meets it: decisions in the queue teach it, every new
 * comment shows its score and the words behind it, and the threshold saved on the rules page
 * sends a spammy comment to Spam once it has learned enough. The filter's counts are site-wide,
 * so this spec has a server and database of its own. Everything runs without JavaScript.
 */

test.use({ javaScriptEnabled: false });
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const POST = allPosts().find((p) => p.comments)!;
const HAM = [
  'Thanks for the timeline, did the failover to the second region work as planned?',
  'How long did the database migration take in the end, and was there any downtime?',
];
const SPAM = [
  'Cheap casino bonus and free spins today, visit https://casino-bonus.example/win now',
  'Best casino bonus offer, cheap spins at https://casino-bonus.example/deal',
];

let server: RunningServer;
let mod: ModeratorAccount;
let moderator: BrowserContext;
let page: Page;

const field = (label: keyof typeof en) => page.getByLabel(en[label], { exact: true });

/** A new reader (own browser, fresh email) posts `text` on the post; returns the comment's id. */
async function readerWrites(browser: Browser, text: string): Promise<{ id: number; reader: Page; context: BrowserContext }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const reader = await context.newPage();
  await reader.goto(`${server.origin}/posts/${POST.slug}`);
  const id = await postComment(reader, { ...commenter('Reader'), comment: text });
  return { id, reader, context };
}

/** The moderator presses `action` on the pending row showing `text`. */
async function decide(text: string, action: 'approve' | 'spam'): Promise<void> {
  await openQueue(page, 'pending', text, server.origin);
  await rowButton(queueRow(page, text), action).click();
  await expect(doneNotice(page, action, 1)).toBeVisible();
}

async function saveFilterRules(threshold: string, minDecisions: string): Promise<void> {
  await page.goto(`${server.origin}/admin/settings`);
  await field('admin.rules.spamThreshold').fill(threshold);
  await field('admin.rules.spamMinDecisions').fill(minDecisions);
  await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(en['admin.done.rules']);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  ({ server, mod, context: moderator, page } = await serverWithModerator(browser, 'Filter Mod'));
});

test.afterAll(async () => {
  await moderator?.close();
  await server?.stop();
});

test('the rules page explains the filter and keeps the old behaviour until it has learned enough', async () => {
  await page.goto(`${server.origin}/admin/settings`);
  await expect(field('admin.rules.spamThreshold')).toHaveValue('90');
  await expect(field('admin.rules.spamMinDecisions')).toHaveValue('20');
  await expect(page.locator('#spam-filter-status')).toContainText(fill(en['admin.rules.spamStatus'], { ham: 0, spam: 0 }));
  await expect(page.locator('#spam-filter-status')).toContainText(fill(en['admin.rules.spamWaiting'], { min: 20 }));

  // Out of bounds: a clear message, nothing saved.
  await field('admin.rules.spamThreshold').fill('100');
  await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
  await expect(field('admin.rules.spamThreshold')).toHaveAccessibleDescription(fill(en['admin.rules.error.rangeOrEmpty'], { min: 50, max: 99 }));
  await page.goto(`${server.origin}/admin/settings`);
  await expect(field('admin.rules.spamThreshold')).toHaveValue('90');

  await saveFilterRules('80', '2');
  await page.reload();
  await expect(field('admin.rules.spamThreshold')).toHaveValue('80');
  await expect(field('admin.rules.spamMinDecisions')).toHaveValue('2');
});

test('decisions in the queue teach it, and the queue shows each new comment’s score and the words behind it', async ({ browser }) => {
  const tag = unique();
  for (const text of HAM) {
    const { context } = await readerWrites(browser, `${text} ${tag}`);
    await context.close();
    await decide(`${text} ${tag}`, 'approve');
  }
  // With only ham learned there is nothing to compare against yet: no score.
  const first = `${SPAM[0]} ${tag}`;
  await (await readerWrites(browser, first)).context.close();
  await openQueue(page, 'pending', first, server.origin);
  await expect(queueRow(page, first).locator('.spam-score')).toHaveCount(0);
  await decide(first, 'spam');

  const second = `${SPAM[1]} ${tag}`;
  await (await readerWrites(browser, second)).context.close();
  await openQueue(page, 'pending', second, server.origin);
  const row = queueRow(page, second);
  await expect(row).toContainText(/Spam filter: \d+ % likely spam/);
  await expect(row).toContainText(fill(en['admin.spam.token.word'], { value: 'casino' }));
  await decide(second, 'spam');

  await page.goto(`${server.origin}/admin/settings`);
  await expect(page.locator('#spam-filter-status')).toContainText(fill(en['admin.rules.spamStatus'], { ham: 2, spam: 2 }));
  await expect(page.locator('#spam-filter-status')).toContainText(en['admin.rules.spamActive']);
});

test('the threshold sends a spammy comment to Spam with its reason, and lets an ordinary one through to the queue', async ({ browser }) => {
  const spammy = unique('Cheap casino bonus spins at https://casino-bonus.example/now ');
  const { id, reader, context } = await readerWrites(browser, spammy);
  expect(commentsContaining(spammy, server.databasePath)[0].status).toBe('spam');
  // Its author is not told it was judged spam: it waits like any other comment.
  await expect(commentElement(reader, id)).toContainText(en['comments.awaitingBadge']);
  await context.close();

  await openQueue(page, 'spam', spammy, server.origin);
  const row = queueRow(page, spammy);
  await expect(row).toContainText(fill(en['admin.queue.reason'], { reason: en['admin.reason.spam-filter'] }));
  const score = Number(await row.locator('[data-spam-score]').getAttribute('data-spam-score'));
  expect(score).toBeGreaterThanOrEqual(80);
  await expect(row).toContainText(fill(en['admin.spam.token.link'], { value: 'casino-bonus.example' }));

  // The comment's own page shows the same score.
  await page.goto(`${server.origin}/admin/comments/${id}`);
  await expect(page.locator('[data-spam-score]')).toHaveAttribute('data-spam-score', String(score));

  const ordinary = unique('Did the failover to the second region take long during the migration? ');
  await (await readerWrites(browser, ordinary)).context.close();
  expect(commentsContaining(ordinary, server.databasePath)[0].status).toBe('pending');
  await openQueue(page, 'pending', ordinary, server.origin);
  const low = Number(await queueRow(page, ordinary).locator('[data-spam-score]').getAttribute('data-spam-score'));
  expect(low).toBeLessThan(50);
});

test('with the threshold switched off the same comment waits in the queue, still scored', async ({ browser }) => {
  await saveFilterRules('', '2');
  await page.reload();
  await expect(field('admin.rules.spamThreshold')).toHaveValue('');
  await expect(page.locator('#spam-filter-status')).toContainText(en['admin.rules.spamOff']);
  const spammy = unique('Cheap casino bonus spins at https://casino-bonus.example/now ');
  await (await readerWrites(browser, spammy)).context.close();
  expect(commentsContaining(spammy, server.databasePath)[0].status).toBe('pending');
  await openQueue(page, 'pending', spammy, server.origin);
  await expect(queueRow(page, spammy).locator('[data-spam-score]')).toHaveCount(1);
});

test('in German, the rules page explains the filter and the webhooks in German', async ({ browser }) => {
  const german = await startServer({ SITE_LOCALE: 'de' });
  const account = moderatorAccount('De Mod');
  await createModerator(german.databasePath, account.email, account.name, account.password);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const de = await context.newPage();
  try {
    await de.goto(`${german.origin}/admin/login`);
    await de.getByLabel(deStrings['admin.login.email'], { exact: true }).fill(account.email);
    await de.getByLabel(deStrings['admin.login.password'], { exact: true }).fill(account.password);
    await de.getByRole('button', { name: deStrings['admin.login.submit'], exact: true }).click();
    await expect(de).toHaveURL(new RegExp(`^${german.origin}/admin$`));
    await de.goto(`${german.origin}/admin/settings`);
    await expect(de.getByRole('group', { name: deStrings['admin.rules.spamTitle'] })).toBeVisible();
    await expect(de.locator('#spam-filter-status')).toContainText(fill(deStrings['admin.rules.spamWaiting'], { min: 20 }));
    await expect(de.getByLabel(deStrings['admin.rules.spamThreshold'], { exact: true })).toHaveValue('90');
    await expect(de.getByRole('group', { name: deStrings['admin.rules.webhooksTitle'] })).toBeVisible();
    await expect(de.getByText(deStrings['admin.rules.webhookNoSecret'])).toBeVisible();
  } finally {
    await context.close();
    await german.stop();
  }
});
