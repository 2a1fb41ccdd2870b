import { test, expect, type Page } from '@playwright/test';
import { approveComment, commenter, parseCommentCount, commentElement, fillCommentForm, submitCommentForm, t, unique } from './fixtures/comments';
import { seedComments, type SeedComment } from './fixtures/seed';
import { startServer, type RunningServer } from './fixtures/server';

/**
 * Long threads paginate (issue 12): COMMENTS_PER_PAGE top-level threads per page, replies on
 * their thread's page, Older/Newer comments and Oldest/Newest first links that are plain links,
 * `/comments/<id>` and permalinks reaching the right page, replies and new comments from later
 * pages, and cached comment pages that change when their comments do.
 */

const SLUG = 'how-we-test-failover';
const POST = `/posts/${SLUG}`;

/** Five top-level threads, two per page: the second has a reply and a nested reply. */
const THREADS: SeedComment[] = [
  { name: 'Ada First', email: 'ada@example.com', at: 0, body: 'Thread one.' },
  { name: 'Ben Second', email: 'ben@example.com', at: 10, body: 'Thread two.' },
  { parent: 1, name: 'Cy Reply', email: 'cy@example.com', at: 20, body: 'A reply in thread two.' },
  { parent: 2, name: 'Di Nested', email: 'di@example.com', at: 30, body: 'A nested reply in thread two.' },
  { name: 'Eve Third', email: 'eve@example.com', at: 40, body: 'Thread three.' },
  { name: 'Fay Fourth', email: 'fay@example.com', at: 50, body: 'Thread four.' },
  { name: 'Gus Fifth', email: 'gus@example.com', at: 60, body: 'Thread five.' },
];

let server: RunningServer;
let ids: number[];
/** Ids by author first name. */
const id = (name: string) => ids[THREADS.findIndex((c) => c.name.startsWith(name))];

test.beforeAll(async () => {
  server = await startServer({ COMMENTS_PER_PAGE: '2' });
  ids = seedComments(server.databasePath, SLUG, THREADS);
});
test.afterAll(async () => {
  await server?.stop();
});

const older = (page: Page) => page.getByRole('navigation', { name: t['comments.pages'] }).getByRole('link', { name: t['comments.older'] });
const newer = (page: Page) => page.getByRole('navigation', { name: t['comments.pages'] }).getByRole('link', { name: t['comments.newer'] });
const orderLink = (page: Page, label: string) => page.getByRole('navigation', { name: t['comments.order'] }).getByRole('link', { name: label });

/** The ids of the top-level threads the page shows, in order. */
async function shownThreads(page: Page): Promise<number[]> {
  const values = await page.locator('#comments .comment-list > li.comment').evaluateAll((items) => items.map((li) => li.id));
  return values.map((value) => Number(value.replace('comment-', '')));
}

for (const js of [false, true]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('Older / Newer comments page through the threads, replies stay with their thread', async ({ page }) => {
      await page.goto(`${server.origin}${POST}`);
      expect(await shownThreads(page)).toEqual([id('Ada'), id('Ben')]);
      await expect(commentElement(page, id('Ben')).locator(`#comment-${id('Di')}`)).toContainText('A nested reply in thread two.');
      await expect(page.getByText(t['comments.pageStatus'].replace('{page}', '1').replace('{count}', '3'))).toBeVisible();
      await expect(older(page)).toHaveCount(0);
      // The heading counts the whole post, not the page.
      const heading = await page.locator('#comments-title').textContent();
      expect(parseCommentCount(heading ?? '')).toBeGreaterThanOrEqual(THREADS.length);

      await newer(page).click();
      await expect(page).toHaveURL(`${server.origin}${POST}?cpage=2#comments`);
      expect(await shownThreads(page)).toEqual([id('Eve'), id('Fay')]);
      await newer(page).click();
      expect(await shownThreads(page)).toEqual([id('Gus')]);
      await expect(newer(page)).toHaveCount(0);
      await older(page).click();
      await expect(page).toHaveURL(`${server.origin}${POST}?cpage=2#comments`);
      expect(await shownThreads(page)).toEqual([id('Eve'), id('Fay')]);
    });

    test('Newest first shows the latest thread first, and Older comments go back in time', async ({ page }) => {
      await page.goto(`${server.origin}${POST}?cpage=2`);
      await orderLink(page, t['comments.newestFirst']).click();
      await expect(page).toHaveURL(`${server.origin}${POST}?corder=newest#comments`);
      await expect(orderLink(page, t['comments.newestFirst'])).toHaveAttribute('aria-current', 'page');
      expect(await shownThreads(page)).toEqual([id('Gus'), id('Fay')]);
      // Replies keep reading top to bottom inside their thread.
      await older(page).click();
      await expect(page).toHaveURL(`${server.origin}${POST}?cpage=2&corder=newest#comments`);
      expect(await shownThreads(page)).toEqual([id('Eve'), id('Ben')]);
      await expect(commentElement(page, id('Ben')).locator(`#comment-${id('Cy')}`)).toHaveCount(1);
      // The same comments in another order: followed, not indexed; the canonical page is the default order's.
      await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, follow');
      await orderLink(page, t['comments.oldestFirst']).click();
      await expect(page).toHaveURL(`${server.origin}${POST}#comments`);
      expect(await shownThreads(page)).toEqual([id('Ada'), id('Ben')]);
      await expect(page.locator('meta[name="robots"]')).toHaveCount(0);
    });

    test('/comments/<id> and permalinks reach the page of the comment\'s thread', async ({ page }) => {
      await page.goto(`${server.origin}/comments/${id('Di')}`);
      await expect(page).toHaveURL(`${server.origin}${POST}#comment-${id('Di')}`);
      await expect(commentElement(page, id('Di'))).toBeVisible();

      await page.goto(`${server.origin}/comments/${id('Gus')}`);
      await expect(page).toHaveURL(`${server.origin}${POST}?cpage=3#comment-${id('Gus')}`);
      await expect(commentElement(page, id('Gus'))).toBeInViewport();

      // From the newest-first view, a permalink names the thread's page in the default order.
      await page.goto(`${server.origin}${POST}?corder=newest`);
      await commentElement(page, id('Fay')).locator('a.permalink').first().click();
      await expect(page).toHaveURL(`${server.origin}${POST}?cpage=2#comment-${id('Fay')}`);
      await expect(commentElement(page, id('Fay'))).toBeInViewport();

      expect((await page.goto(`${server.origin}/comments/999999`))?.status()).toBe(404);
      expect((await page.goto(`${server.origin}/comments/abc`))?.status()).toBe(404);
    });

    test('replying from a later page keeps the page, and the reply lands there awaiting moderation', async ({ page }) => {
      await page.goto(`${server.origin}${POST}?cpage=3`);
      await page.locator(`#comment-${id('Gus')} > article`).getByRole('link', { name: t['comments.reply'] }).click();
      if (!js) {
        await expect(page).toHaveURL(`${server.origin}${POST}?cpage=3&replyto=${id('Gus')}#respond`);
        await expect(page.getByRole('heading', { name: t['form.replyTitle'].replace('{name}', 'Gus Fifth') })).toBeVisible();
      }
      const text = `Reply on page three ${unique()}`;
      await fillCommentForm(page, { ...commenter(), comment: text });
      await submitCommentForm(page);
      await expect(page).toHaveURL(new RegExp(`${POST.replace(/[/]/g, '\\/')}\\?cpage=3#comment-\\d+$`));
      const replyId = Number(/#comment-(\d+)$/.exec(page.url())![1]);
      await expect(commentElement(page, id('Gus')).locator(`#comment-${replyId}`)).toContainText(text);
      await expect(commentElement(page, replyId)).toContainText(t['comments.awaitingBadge']);
      await approveComment(replyId, server.origin, server.databasePath);
    });
  });
}

test('a new thread lands its author on the last page; once approved, every reader finds it there', async ({ page, browser }) => {
  await page.goto(`${server.origin}${POST}`);
  const text = `A brand new thread ${unique()}`;
  await fillCommentForm(page, { ...commenter(), comment: text });
  await submitCommentForm(page);
  await expect(page).toHaveURL(new RegExp(`\\?cpage=\\d+#comment-\\d+$`));
  const newId = Number(/#comment-(\d+)$/.exec(page.url())![1]);
  await expect(commentElement(page, newId)).toContainText(t['comments.awaitingBadge']);
  const lastPage = Number(/cpage=(\d+)/.exec(page.url())![1]);
  await expect(newer(page)).toHaveCount(0);

  // An anonymous reader's cached copy of that page changes once the comment is approved.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  const path = `${server.origin}${POST}?cpage=${lastPage}`;
  await readerPage.goto(path);
  await expect(commentElement(readerPage, newId)).toHaveCount(0);
  const first = await fetch(path);
  const again = await fetch(path);
  expect(again.headers.get('etag'), 'the comment page is served from the cache').toBe(first.headers.get('etag'));
  await approveComment(newId, server.origin, server.databasePath);
  await readerPage.goto(path);
  await expect(commentElement(readerPage, newId)).toContainText(text);
  await reader.close();
});

test('odd page numbers are redirected to the canonical page', async ({ request }) => {
  const one = await request.get(`${server.origin}${POST}?cpage=1`, { maxRedirects: 0 });
  expect(one.status()).toBe(301);
  expect(one.headers().location).toBe(POST);
  const junk = await request.get(`${server.origin}${POST}?cpage=abc&corder=newest`, { maxRedirects: 0 });
  expect(junk.status()).toBe(301);
  expect(junk.headers().location).toBe(`${POST}?corder=newest`);
  const beyond = await request.get(`${server.origin}${POST}?cpage=99`, { maxRedirects: 0 });
  expect(beyond.status()).toBe(302);
  expect(beyond.headers().location).toMatch(new RegExp(`^${POST}\\?cpage=\\d$`));
  const page2 = await request.get(`${server.origin}${POST}?cpage=2`);
  expect(await page2.text()).toContain(`<link rel="canonical" href="${server.origin}${POST}?cpage=2">`);
});
