import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createModerator, doneNotice, login, type ModeratorAccount, moderatorAccount, openQueue, queueRow, rowButton } from './fixtures/admin';
import { commentElement, commenter, commentForm, postComment, unique } from './fixtures/comments';
import { commentsContaining } from './fixtures/db';
import { allPosts, en, fill } from './fixtures/posts';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * Every moderation rule saved through /admin/settings, end to end: the moderator saves a value,
 * reloads the page and sees it stored, and the next comment (or the thread, or the post) behaves
 * accordingly. Rules are site-wide, so this spec has a server and database of its own and cannot
 * disturb (or be disturbed by) the rest of the suite. Everything runs without JavaScript.
 */

test.use({ javaScriptEnabled: false });
test.describe.configure({ mode: 'serial', timeout: 90_000 });

interface Rules {
  autoApprove: boolean;
  maxLinks: string;
  holdWords: string;
  blockWords: string;
  closeAfterDays: string;
  maxDepth: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ageInDays = (date: Date) => (Date.now() - date.getTime()) / DAY_MS;
const open = allPosts().filter((p) => p.comments);
// The newest post stays open under the closing rule; an old one (more than a month older) closes.
const NEW_POST = open[0];
const CLOSE_AFTER_DAYS = String(Math.ceil(ageInDays(NEW_POST.pubDate)) + 2);
const OLD_POST = open.find((p) => ageInDays(p.pubDate) > Number(CLOSE_AFTER_DAYS) + 30)!;

let server: RunningServer;
let mod: ModeratorAccount;
let moderator: BrowserContext;
let page: Page;
/** One returning commenter ("remember me" on, one earlier comment approved): a known author. */
let known: { context: BrowserContext; page: Page; name: string; email: string };

const field = (label: keyof typeof en) => page.getByLabel(en[label], { exact: true });

async function saveRules(rules: Rules): Promise<void> {
  await page.goto(`${server.origin}/admin/settings`);
  await page.getByRole('checkbox', { name: en['admin.rules.autoApprove'] }).setChecked(rules.autoApprove);
  await field('admin.rules.maxLinks').fill(rules.maxLinks);
  await field('admin.rules.holdWords').fill(rules.holdWords);
  await field('admin.rules.blockWords').fill(rules.blockWords);
  await field('admin.rules.closeAfterDays').fill(rules.closeAfterDays);
  await field('admin.rules.maxDepth').fill(rules.maxDepth);
  await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(en['admin.done.rules']);
}

/** Reloads the settings page and checks it shows exactly `rules`. */
async function expectStoredRules(rules: Rules): Promise<void> {
  await page.goto(`${server.origin}/admin/settings`);
  const checkbox = page.getByRole('checkbox', { name: en['admin.rules.autoApprove'] });
  if (rules.autoApprove) await expect(checkbox).toBeChecked();
  else await expect(checkbox).not.toBeChecked();
  await expect(field('admin.rules.maxLinks')).toHaveValue(rules.maxLinks);
  await expect(field('admin.rules.holdWords')).toHaveValue(rules.holdWords);
  await expect(field('admin.rules.blockWords')).toHaveValue(rules.blockWords);
  await expect(field('admin.rules.closeAfterDays')).toHaveValue(rules.closeAfterDays);
  await expect(field('admin.rules.maxDepth')).toHaveValue(rules.maxDepth);
}

/** The known author comments on `slug` (replying to `replyTo` if given); returns id and stored status. */
async function knownAuthorWrites(comment: string, slug = NEW_POST.slug, replyTo?: number): Promise<{ id: number; status: string }> {
  await known.page.goto(`${server.origin}/posts/${slug}${replyTo ? `?replyto=${replyTo}` : ''}#respond`);
  // The remembered name and email are filled in by the server.
  await expect(commentForm(known.page).getByRole('textbox', { name: en['form.email'], exact: true })).toHaveValue(known.email);
  const id = await postComment(known.page, { comment, remember: true });
  const [stored] = commentsContaining(comment, server.databasePath);
  expect(stored.id).toBe(id);
  return { id, status: stored.status };
}

/** The reason the queue gives for a held comment. */
async function expectQueueReason(status: 'pending' | 'spam', text: string, reason: keyof typeof en): Promise<void> {
  await openQueue(page, status, text, server.origin);
  await expect(queueRow(page, text)).toContainText(fill(en['admin.queue.reason'], { reason: en[reason] }));
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: false });
}

test.beforeAll(async ({ browser }) => {
  // Starts a server, runs the moderator CLI, logs in and posts: room for a slow CI machine.
  test.setTimeout(120_000);
  expect(OLD_POST, 'some post is old enough to close while the newest stays open').toBeTruthy();
  server = await startServer();
  mod = moderatorAccount('Rules Mod');
  await createModerator(server.databasePath, mod.email, mod.name, mod.password);
  moderator = await newContext(browser);
  page = await moderator.newPage();
  await login(page, mod.email, mod.password, server.origin);

  // A commenter becomes a known author: first comment (remembered), approved by the moderator.
  const who = commenter('Known');
  const context = await newContext(browser);
  known = { context, page: await context.newPage(), ...who };
  await known.page.goto(`${server.origin}/posts/${NEW_POST.slug}`);
  const first = unique('first comment ');
  await postComment(known.page, { ...who, comment: first, remember: true });
  await openQueue(page, 'pending', first, server.origin);
  await rowButton(queueRow(page, first), 'approve').click();
  await expect(doneNotice(page, 'approve', 1)).toBeVisible();
  expect(commentsContaining(first, server.databasePath)[0].status).toBe('approved');
});

test.afterAll(async () => {
  await moderator?.close();
  await known?.context.close();
  await server?.stop();
});

test('the settings page starts with the defaults', async () => {
  await expectStoredRules({ autoApprove: true, maxLinks: '2', holdWords: '', blockWords: '', closeAfterDays: '', maxDepth: '5' });
});

test('strict rules: saved, shown after a reload, and each one decides the next comment', async ({ browser }) => {
  const hold = unique('holdword');
  const block = unique('blockword');
  const strict: Rules = { autoApprove: true, maxLinks: '0', holdWords: hold, blockWords: `casino\n${block}`, closeAfterDays: CLOSE_AFTER_DAYS, maxDepth: '2' };
  await saveRules(strict);
  await expectStoredRules(strict);

  // Auto-approve known authors: a plain comment is published at once.
  const plain = unique('plain ');
  expect((await knownAuthorWrites(plain)).status).toBe('approved');

  // Links before holding = 0: one link is one too many.
  const linked = unique('see https://status.example.com/ ');
  expect((await knownAuthorWrites(linked)).status).toBe('pending');
  await expectQueueReason('pending', linked, 'admin.reason.too-many-links');

  // Hold words hold, even for a known author.
  const held = unique(`mentions ${hold} `);
  expect((await knownAuthorWrites(held)).status).toBe('pending');
  await expectQueueReason('pending', held, 'admin.reason.hold-word');

  // Block words send to spam.
  const blocked = unique(`cheap ${block} `);
  expect((await knownAuthorWrites(blocked)).status).toBe('spam');
  await expectQueueReason('spam', blocked, 'admin.reason.block-word');

  // Close after N days: the old post is closed, the newest is still open.
  const stranger = await newContext(browser);
  const reader = await stranger.newPage();
  await reader.goto(`${server.origin}/posts/${OLD_POST.slug}`);
  await expect(reader.getByText(en['comments.closed'], { exact: true })).toBeVisible();
  await expect(commentForm(reader)).toHaveCount(0);
  await reader.goto(`${server.origin}/posts/${NEW_POST.slug}`);
  await expect(commentForm(reader)).toBeVisible();
  await stranger.close();

  // Deepest reply level = 2: a reply to a reply is shown at level 2, beside the reply it answers.
  const root = await knownAuthorWrites(unique('root '));
  const second = await knownAuthorWrites(unique('second level '), NEW_POST.slug, root.id);
  const third = await knownAuthorWrites(unique('third level '), NEW_POST.slug, second.id);
  expect([root.status, second.status, third.status]).toEqual(['approved', 'approved', 'approved']);
  await page.goto(`${server.origin}/posts/${NEW_POST.slug}`);
  await expect(commentElement(page, root.id).locator(`#comment-${second.id}`)).toHaveCount(1);
  await expect(commentElement(page, root.id).locator(`#comment-${third.id}`)).toHaveCount(1);
  await expect(commentElement(page, second.id).locator(`#comment-${third.id}`), 'not nested a third level deep').toHaveCount(0);
});

test('lenient rules: saved, shown after a reload, and the same comments now go through', async ({ browser }) => {
  const hold = unique('holdword');
  await saveRules({ autoApprove: true, maxLinks: '0', holdWords: hold, blockWords: '', closeAfterDays: CLOSE_AFTER_DAYS, maxDepth: '2' });
  const lenient: Rules = { autoApprove: true, maxLinks: '1', holdWords: '', blockWords: '', closeAfterDays: '', maxDepth: '3' };
  await saveRules(lenient);
  await expectStoredRules(lenient);

  // One link is now within the limit, and the word is no longer held.
  expect((await knownAuthorWrites(unique('see https://status.example.com/ '))).status).toBe('approved');
  expect((await knownAuthorWrites(unique(`mentions ${hold} `))).status).toBe('approved');
  // Two links are still more than one.
  expect((await knownAuthorWrites(unique('https://a.example/ and https://b.example/ '))).status).toBe('pending');

  // No closing rule: the old post takes comments again.
  const stranger = await newContext(browser);
  const reader = await stranger.newPage();
  await reader.goto(`${server.origin}/posts/${OLD_POST.slug}`);
  await expect(commentForm(reader)).toBeVisible();
  await expect(reader.getByText(en['comments.closed'], { exact: true })).toHaveCount(0);
  await stranger.close();
  expect((await knownAuthorWrites(unique('on an old post '), OLD_POST.slug)).status).toBe('approved');

  // Deepest reply level = 3: a reply to a reply now nests inside it.
  const root = await knownAuthorWrites(unique('root '));
  const second = await knownAuthorWrites(unique('second level '), NEW_POST.slug, root.id);
  const third = await knownAuthorWrites(unique('third level '), NEW_POST.slug, second.id);
  await page.goto(`${server.origin}/posts/${NEW_POST.slug}`);
  await expect(commentElement(page, second.id).locator(`#comment-${third.id}`)).toHaveCount(1);
});

test('auto-approve off: saved, shown after a reload, and a known author waits for moderation', async () => {
  const off: Rules = { autoApprove: false, maxLinks: '2', holdWords: '', blockWords: '', closeAfterDays: '', maxDepth: '5' };
  await saveRules(off);
  await expectStoredRules(off);
  const text = unique('plain, now moderated ');
  expect((await knownAuthorWrites(text)).status).toBe('pending');
  await expectQueueReason('pending', text, 'admin.reason.default');
});
