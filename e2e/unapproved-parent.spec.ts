import { test, expect, type Browser, type Page } from '@playwright/test';
import { doneNotice, login, newModerator, openQueue, queueRow, rowButton } from './fixtures/admin';
import { approveComment, commentElement, commenter, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { en } from './fixtures/posts';

/**
 * SPEC "Moderation": a comment that goes back to the queue (Unapprove) while it has an approved
 * reply leaves "comment removed" in its place, for every reader, with the reply kept under it,
 * and nothing of the removed comment (name, website, text) on the page.
 */

const SLUG = 'rate-limiting-sms';

test.use({ javaScriptEnabled: false });
// Several readers and page loads per test: room for a slow CI machine.
test.describe.configure({ timeout: 90_000 });

async function readerPage(browser: Browser, baseURL: string | undefined, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  return context.newPage();
}

test('unapproving a comment that has an approved reply shows "comment removed" to every reader', async ({ page, browser, baseURL }) => {
  const mod = await newModerator(sharedDatabase(), 'Unapprove Mod');
  const parentAuthor = { ...commenter('Parent'), website: `https://${unique('parent-')}.example.org/` };
  const parentText = unique('Which carrier throttled first? ');
  const replyText = unique('The second one, at 09:14. ');

  const author = await readerPage(browser, baseURL, false);
  await author.goto(`/posts/${SLUG}`);
  const parentId = await postComment(author, { ...parentAuthor, comment: parentText });
  await approveComment(parentId);

  const replier = await readerPage(browser, baseURL, false);
  await replier.goto(`/posts/${SLUG}?replyto=${parentId}#respond`);
  const replyId = await postComment(replier, { ...commenter('Replier'), comment: replyText });
  await approveComment(replyId);

  await login(page, mod.email, mod.password);
  await openQueue(page, 'approved', parentText);
  await rowButton(queueRow(page, parentText), 'unapprove').click();
  await expect(doneNotice(page, 'unapprove', 1)).toBeVisible();

  const readers: [string, Page][] = [
    ['a stranger without JavaScript', await readerPage(browser, baseURL, false)],
    ['a stranger with JavaScript', await readerPage(browser, baseURL, true)],
    ['the author of the reply', replier],
    ['the moderator', page],
  ];
  for (const [who, reader] of readers) {
    const response = await reader.goto(`/posts/${SLUG}`);
    const html = await response!.text();
    const parent = commentElement(reader, parentId);
    await expect(parent, `${who}: the removed comment keeps its place`).toBeVisible();
    await expect(parent.locator('.comment-card').first(), who).toHaveText(en['comments.removed']);
    await expect(parent.locator(`#comment-${replyId}`), `${who}: the reply stays under it`).toContainText(replyText);
    await expect(parent.locator('.comment-card').first().getByRole('link'), `${who}: no name, permalink or Reply link on it`).toHaveCount(0);
    expect(html, `${who}: the removed text is not in the page`).not.toContain(parentText);
    expect(html, `${who}: nor the author's name`).not.toContain(parentAuthor.name);
    expect(html, `${who}: nor their website`).not.toContain(parentAuthor.website);
  }
  for (const [, reader] of readers.slice(0, 3)) await reader.context().close();
  await author.context().close();
});
