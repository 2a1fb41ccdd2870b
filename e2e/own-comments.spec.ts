import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { login, type ModeratorAccount, newModerator, openQueue, queueRow, rowButton } from './fixtures/admin';
import { commentElement, commenter, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { en } from './fixtures/posts';

/**
 * Editing and deleting one's own comment (SPEC "Readers and commenters"): from the browser that
 * wrote it, for COMMENT_EDIT_MINUTES (15 on the shared e2e server), with the same labelled fields
 * and "Save changes", the moderation rules run again, Delete confirmed on a page of its own, and
 * after the window no controls and a clear refusal. Each journey runs without and with JavaScript.
 */

const POST = 'how-we-test-failover';

let moderator: ModeratorAccount;
test.beforeAll(async () => {
  moderator = await newModerator(sharedDatabase(), 'Own Mod');
});

const field = (page: Page, label: 'Name' | 'Email' | 'Website' | 'Comment') =>
  page.locator('form#edit-comment').getByRole('textbox', { name: en[`form.${label.toLowerCase() as 'name'}`], exact: true });
const link = (page: Page, id: number, name: 'comments.edit' | 'comments.delete') => commentElement(page, id).getByRole('link', { name: en[name], exact: true }).first();

async function moderatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, moderator.email, moderator.password);
  return page;
}

async function approve(page: Page, text: string): Promise<void> {
  await openQueue(page, 'pending', text);
  await rowButton(queueRow(page, text), 'approve').click();
  await expect(queueRow(page, text)).toHaveCount(0);
}

/** Moves a comment's creation back in time, as if the author came back later. */
function age(id: number, minutes: number): void {
  const db = new Database(sharedDatabase());
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('update comments set created_at = created_at - ? where id = ?').run(minutes * 60_000, id);
  } finally {
    db.close();
  }
}

for (const js of [false, true]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('the author edits their comment with the same fields; errors keep the text; links send it back to the queue', async ({ page, browser }) => {
      const marker = unique('edit-');
      const who = commenter('Editor');
      await page.goto(`/posts/${POST}`);
      const id = await postComment(page, { ...who, comment: `First try ${marker}` });
      const moderating = await moderatorPage(browser);
      await approve(moderating, marker);

      // A stranger sees the comment without the controls, and the server refuses them anyway.
      const stranger = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      await stranger.goto(`/posts/${POST}`);
      await expect(commentElement(stranger, id)).toContainText(`First try ${marker}`);
      await expect(link(stranger, id, 'comments.edit')).toHaveCount(0);
      await expect(link(stranger, id, 'comments.delete')).toHaveCount(0);
      const refused = await stranger.goto(`/comments/${id}/edit`);
      expect(refused?.status()).toBe(403);
      await expect(stranger.getByText(en['own.error.notYours'])).toBeVisible();

      await page.reload();
      await link(page, id, 'comments.edit').click();
      await expect(page.getByRole('heading', { level: 1, name: en['own.edit.title'] })).toBeVisible();
      await expect(field(page, 'Name')).toHaveValue(who.name);
      await expect(field(page, 'Email')).toHaveValue(who.email);
      await expect(field(page, 'Comment')).toHaveValue(`First try ${marker}`);
      // Cancel and the redirect after saving go through the comment's stable address, which finds its comment page.
      await expect(page.getByRole('link', { name: en['own.edit.cancel'], exact: true })).toHaveAttribute('href', `/comments/${id}`);

      // An invalid save keeps everything typed and says what is wrong.
      await field(page, 'Name').fill('');
      await field(page, 'Comment').fill(`Second try ${marker}, typed with care`);
      await page.getByRole('button', { name: en['own.edit.save'] }).click();
      await expect(page.getByText(en['form.error.name.required']).first()).toBeVisible();
      await expect(field(page, 'Name')).toHaveAttribute('aria-invalid', 'true');
      await expect(field(page, 'Comment')).toHaveValue(`Second try ${marker}, typed with care`);

      await field(page, 'Name').fill(who.name);
      await page.getByRole('button', { name: en['own.edit.save'] }).click();
      await expect(page).toHaveURL(new RegExp(`/posts/${POST}#comment-${id}$`));
      await expect(commentElement(page, id)).toContainText(`Second try ${marker}, typed with care`);
      await expect(commentElement(page, id)).toContainText(en['comments.edited']);
      await stranger.goto(`/posts/${POST}`);
      await expect(commentElement(stranger, id)).toContainText(`Second try ${marker}`);

      // Three links are more than the rules allow: back to the queue, gone from the public page.
      await link(page, id, 'comments.edit').click();
      await field(page, 'Comment').fill(`Sources ${marker}: https://a.example/1 https://b.example/2 https://c.example/3`);
      await page.getByRole('button', { name: en['own.edit.save'] }).click();
      await expect(commentElement(page, id)).toContainText(en['comments.awaiting']);
      await stranger.reload();
      await expect(commentElement(stranger, id)).toHaveCount(0);
      await openQueue(moderating, 'pending', marker);
      await expect(queueRow(moderating, marker)).toContainText(/edited by the author/);
    });

    test('Delete asks first; a comment with a published reply stays as "comment removed"', async ({ page, browser }) => {
      const marker = unique('delete-');
      await page.goto(`/posts/${POST}`);
      const answered = await postComment(page, { ...commenter('Deleter'), comment: `Answered ${marker}` });
      const lonely = await postComment(page, { ...commenter('Deleter'), comment: `Lonely ${marker}` });
      const moderating = await moderatorPage(browser);
      await approve(moderating, `Answered ${marker}`);
      const replier = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      await replier.goto(`/posts/${POST}?replyto=${answered}#respond`);
      const reply = await postComment(replier, { ...commenter('Replier'), comment: `Reply ${marker}` });
      await approve(moderating, `Reply ${marker}`);

      await page.reload();
      await link(page, lonely, 'comments.delete').click();
      await expect(page.getByRole('heading', { level: 1, name: en['own.delete.title'] })).toBeVisible();
      await expect(page.getByText(`Lonely ${marker}`)).toBeVisible();
      await page.getByRole('button', { name: en['own.delete.button'] }).click();
      await expect(page).toHaveURL(new RegExp(`/posts/${POST}#comments$`));
      await expect(commentElement(page, lonely)).toHaveCount(0);

      await link(page, answered, 'comments.delete').click();
      await page.getByRole('button', { name: en['own.delete.button'] }).click();
      await expect(commentElement(page, answered)).toContainText(en['comments.removed']);
      await expect(commentElement(page, answered)).not.toContainText(`Answered ${marker}`);
      await expect(commentElement(page, reply)).toContainText(`Reply ${marker}`);
    });

    test('after the window the controls are gone and the server refuses, keeping the typed text', async ({ page }) => {
      const marker = unique('late-');
      await page.goto(`/posts/${POST}`);
      const id = await postComment(page, { ...commenter('Late'), comment: `Early words ${marker}` });
      await link(page, id, 'comments.edit').click();
      await field(page, 'Comment').fill(`Late words ${marker}`);

      age(id, 16);
      await page.getByRole('button', { name: en['own.edit.save'] }).click();
      await expect(page.getByRole('alert')).toContainText(en['own.error.expiredKept']);
      await expect(field(page, 'Comment')).toHaveValue(`Late words ${marker}`);

      await page.goto(`/posts/${POST}`);
      await expect(commentElement(page, id)).toContainText(`Early words ${marker}`);
      await expect(link(page, id, 'comments.edit')).toHaveCount(0);
      await expect(link(page, id, 'comments.delete')).toHaveCount(0);
      const deletePage = await page.goto(`/comments/${id}/delete`);
      expect(deletePage?.status()).toBe(403);
      await expect(page.getByText(en['own.error.expired'])).toBeVisible();
    });
  });
}

test('the edit page (with errors), the delete page and the notification link pages have no WCAG 2.1 AA violations, light and dark', async ({ page }) => {
  await page.goto(`/posts/${POST}`);
  const id = await postComment(page, { ...commenter('Axe'), comment: `Checked ${unique()}` });
  const audit = async () => {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })), page.url()).toEqual([]);
  };
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(`/comments/${id}/edit`);
    await field(page, 'Comment').fill('');
    await page.getByRole('button', { name: en['own.edit.save'] }).click();
    await expect(page.getByText(en['form.error.body.required']).first()).toBeVisible();
    await audit();
    await page.goto(`/comments/${id}/delete`);
    await audit();
    await page.goto('/notifications/confirm?token=1.0.forged');
    await audit();
    await page.goto('/notifications/unsubscribe?token=1.0.forged');
    await audit();
  }
});
