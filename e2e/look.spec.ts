import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createModerator, login } from './fixtures/admin';
import { THREAD, seedComments } from './fixtures/seed';
import { startServer, type RunningServer } from './fixtures/server';
import { allPosts, de, en, fill, post } from './fixtures/posts';

/**
 * Look and feel as a reader notices it: layout defects that must not come back, the theme's
 * header, footer and legal pages, authors, hero images and related posts. Runs on its own
 * server with a known thread (4 approved comments on THREAD_POST).
 */

const THREAD_POST = 'sip-trunk-registration-outage';
const GERMAN_POST = 'abrechnung-wartung-ausfall-eingehende-anrufe';
const QUIET_POST = 'number-porting-explained';
const MODERATOR = { email: 'look.moderator@example.com', name: 'Look Moderator', password: 'look-tests-password-1' };
const AUTHORS_DIR = join(import.meta.dirname, '..', 'content', 'authors');

interface AuthorFile { id: string; name: string; role: string; bio: string }
const authors: AuthorFile[] = readdirSync(AUTHORS_DIR)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ id: f.replace(/\.md$/, ''), ...(parse(/^---\n([\s\S]*?)\n---/.exec(readFileSync(join(AUTHORS_DIR, f), 'utf8'))![1]) as Omit<AuthorFile, 'id'>) }));

let server: RunningServer;
let threadIds: number[];
test.beforeAll(async () => {
  server = await startServer();
  await createModerator(server.databasePath, MODERATOR.email, MODERATOR.name, MODERATOR.password);
  threadIds = seedComments(server.databasePath, THREAD_POST, THREAD);
});
test.afterAll(async () => {
  await server?.stop();
});

const url = (path: string) => `${server.origin}${path}`;
const commentsHeading = (page: Page) => page.locator('#comments').getByRole('heading', { level: 2 });
const form = (page: Page) => page.locator('form#respond');
const field = (page: Page, label: string) => form(page).getByRole('textbox', { name: label, exact: true });

test.describe('layout defects stay fixed', () => {
  test('the page title keeps clear of the header rule on every kind of page', async ({ page }) => {
    for (const path of ['/', `/posts/${THREAD_POST}`, '/tags/incident', `/authors/${authors[0].id}`, '/imprint', '/no-such-page']) {
      await page.goto(url(path));
      const header = (await page.getByRole('banner').boundingBox())!;
      const title = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
      expect(title.y - (header.y + header.height), `${path}: space between header and title`).toBeGreaterThanOrEqual(24);
    }
  });

  test('every invalid field of the comment form gets the same red border as its message', async ({ page }) => {
    await page.goto(url(`/posts/${QUIET_POST}`));
    const plainBorder = await field(page, en['form.name']).evaluate((el) => getComputedStyle(el).borderTopColor);
    await field(page, en['form.email']).fill('not-an-address');
    await field(page, en['form.website']).fill('ftp://example.com');
    await form(page).getByRole('button', { name: en['form.submit'], exact: true }).click();
    await expect(form(page).getByRole('alert')).toBeVisible();
    const errorColour = await form(page).locator('.field-error').first().evaluate((el) => getComputedStyle(el).color);
    expect(errorColour).not.toBe(plainBorder);
    for (const label of [en['form.name'], en['form.email'], en['form.website'], en['form.comment']]) {
      const input = field(page, label);
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      await expect(input, `${label} has a red border`).toHaveCSS('border-top-color', errorColour);
      await expect(input).toHaveCSS('border-top-width', '2px');
    }
  });

  test('the comments heading is the count, said once; with none published it just says "Comments"', async ({ page }) => {
    await page.goto(url(`/posts/${THREAD_POST}`));
    await expect(commentsHeading(page)).toHaveText(fill(en['comments.heading.other'], { count: THREAD.length }));
    await page.goto(url(`/posts/${QUIET_POST}`));
    await expect(commentsHeading(page)).toHaveText(en['comments.title']);
  });

  test('a pending comment says "awaiting moderation" once, under a heading without "No comments"', async ({ page }) => {
    await page.goto(url(`/posts/${QUIET_POST}`));
    await field(page, en['form.name']).fill('Pending Pat');
    await field(page, en['form.email']).fill('pending.pat@example.com');
    await field(page, en['form.comment']).fill('Does porting work for toll-free numbers too?');
    await form(page).getByRole('button', { name: en['form.submit'], exact: true }).click();
    await expect(page).toHaveURL(/#comment-\d+$/);
    const card = page.locator(`#comment-${/#comment-(\d+)$/.exec(page.url())![1]}`);
    const text = await card.innerText();
    expect(text.split(en['comments.awaitingBadge']).length - 1, 'times "awaiting moderation" is said').toBe(1);
    await expect(card).toContainText(en['comments.awaiting']);
    await expect(commentsHeading(page)).toHaveText(en['comments.title']);
  });

  test('with JavaScript, a reply that fails validation stays under the comment it answers', async ({ page }) => {
    const parent = threadIds[0];
    await page.goto(url(`/posts/${THREAD_POST}`));
    await page.locator(`#comment-${parent}`).getByRole('link', { name: en['comments.reply'], exact: true }).first().click();
    await expect(page.locator(`#comment-${parent} form#respond`)).toHaveCount(1);
    await form(page).getByRole('button', { name: en['form.submit'], exact: true }).click();
    await expect(form(page).getByRole('alert')).toBeVisible();
    await expect(page.locator(`#comment-${parent} form#respond`), 'the form is back under its comment').toHaveCount(1);
    await expect(form(page).getByRole('heading', { name: fill(en['form.replyTitle'], { name: THREAD[0].name }) })).toBeVisible();
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('"Reply to X" sits right above "Cancel reply"', async ({ page }) => {
      await page.goto(url(`/posts/${THREAD_POST}?replyto=${threadIds[0]}#respond`));
      const heading = (await form(page).getByRole('heading', { name: fill(en['form.replyTitle'], { name: THREAD[0].name }) }).boundingBox())!;
      const cancel = (await form(page).getByRole('link', { name: en['form.cancelReply'] }).boundingBox())!;
      expect(cancel.y - (heading.y + heading.height)).toBeLessThan(12);
    });
  });

  test.describe('at 1280 px', () => {
    test.use({ viewport: { width: 1280, height: 900 } });
    test("a post's date, reading time and comment count share one line", async ({ page }) => {
      for (const slug of [THREAD_POST, GERMAN_POST, 'markdown-field-guide']) {
        await page.goto(url(`/posts/${slug}`));
        const tops = await page.locator('.post-header .meta > li').evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
        expect(new Set(tops).size, `${slug}: meta lines`).toBe(1);
      }
    });
  });

  test.describe('at 390 px', () => {
    test.use({ viewport: { width: 390, height: 800 } });
    test('no post is wider than the phone (long German words, code blocks, tables)', async ({ page }) => {
      for (const p of allPosts()) {
        await page.goto(url(`/posts/${p.slug}`));
        expect(await page.evaluate(() => document.documentElement.scrollWidth), p.slug).toBeLessThanOrEqual(390);
        const title = page.getByRole('heading', { level: 1 });
        expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth), `${p.slug}: title fits`).toBe(true);
      }
    });
  });
});

test.describe('moderation wording', () => {
  test('the queue says "1 comment approved.", the edit page names the post, the rules name the allowed range', async ({ page }) => {
    const [pendingId] = seedComments(server.databasePath, QUIET_POST, [{ status: 'pending', name: 'Queue Quinn', email: 'quinn@example.com', body: 'Waiting in line.', at: 0 }]);
    await login(page, MODERATOR.email, MODERATOR.password, server.origin);
    await page.goto(url(`/admin?status=pending&q=${encodeURIComponent('Waiting in line.')}`));
    await page.getByRole('row').filter({ hasText: 'Waiting in line.' }).getByRole('button', { name: en['admin.action.approve'], exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(en['admin.done.approve.one']);

    await page.goto(url(`/admin/comments/${pendingId}`));
    await expect(page.getByRole('link', { name: fill(en['admin.edit.onPost'], { title: post(QUIET_POST).title }) })).toHaveAttribute('href', `/posts/${QUIET_POST}#comment-${pendingId}`);

    await page.goto(url('/admin/settings'));
    await page.getByLabel(en['admin.rules.maxDepth']).fill('11');
    await page.getByRole('button', { name: en['admin.rules.save'] }).click();
    await expect(page.getByLabel(en['admin.rules.maxDepth'])).toHaveAccessibleDescription(fill(en['admin.rules.error.range'], { min: 1, max: 10 }));
  });
});

test.describe('authors, images and related posts', () => {
  test('a post names its author with avatar and role, and their page lists exactly their posts', async ({ page }) => {
    const p = post(THREAD_POST);
    const author = authors.find((a) => a.name === p.author)!;
    await page.goto(url(`/posts/${THREAD_POST}`));
    const article = page.getByRole('main').getByRole('article').first();
    await expect(article.getByText(author.role).first()).toBeVisible();
    await expect(page.getByRole('region', { name: en['author.about'] })).toContainText(author.bio);
    await article.getByRole('link', { name: author.name }).first().click();
    await expect(page).toHaveURL(url(`/authors/${author.id}`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(author.name);
    const theirs = allPosts().filter((x) => x.author === author.name).map((x) => x.title);
    await expect(page.getByRole('main').getByRole('article').getByRole('heading')).toHaveText(theirs);
    expect((await page.goto(url('/authors/nobody')))!.status()).toBe(404);

    const sitemap = await (await fetch(url('/sitemap-0.xml'))).text();
    for (const a of authors) expect(sitemap).toContain(`${server.origin}/authors/${a.id}`);
  });

  test('a hero image is served resized at build time, in sizes for phone and desk', async ({ page }) => {
    await page.goto(url(`/posts/${THREAD_POST}`));
    const hero = page.getByRole('img', { name: 'Abstract network map: registrars and trunks drawn as dots joined by lines' });
    await expect(hero).toBeVisible();
    await expect.poll(() => hero.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const srcset = (await page.locator('.hero source[type="image/webp"]').getAttribute('srcset'))!;
    const files = srcset.split(',').map((s) => s.trim().split(' ')[0]);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      expect(file).toMatch(/^\/_astro\/.+\.webp$/);
      const response = await fetch(url(file));
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
    }
  });

  test('related posts are cards with title, date and description', async ({ page }) => {
    await page.goto(url(`/posts/${THREAD_POST}`));
    const cards = page.getByRole('complementary', { name: en['post.related'] }).getByRole('listitem');
    expect(await cards.count()).toBeGreaterThan(0);
    for (const card of await cards.all()) {
      const title = (await card.getByRole('heading').innerText()).trim();
      const related = allPosts().find((x) => x.title === title)!;
      await expect(card.locator('time')).toHaveAttribute('datetime', related.pubDate.toISOString());
      await expect(card).toContainText(related.description.slice(0, 40));
    }
  });

  test('the footer links the imprint and privacy pages', async ({ page }) => {
    await page.goto(url('/'));
    const footer = page.getByRole('contentinfo');
    for (const name of ['Imprint', 'Privacy']) {
      await footer.getByRole('link', { name, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
      await page.goBack();
    }
  });
});

test.describe('SITE_LOCALE=de', () => {
  let german: RunningServer;
  test.beforeAll(async () => {
    german = await startServer({ SITE_LOCALE: 'de' });
  });
  test.afterAll(async () => {
    await german?.stop();
  });

  test('legal pages and the author box are German', async ({ page }) => {
    await page.goto(`${german.origin}/posts/${GERMAN_POST}`);
    await expect(page.getByRole('region', { name: de['author.about'] })).toBeVisible();
    const footer = page.getByRole('contentinfo');
    await footer.getByRole('link', { name: 'Impressum', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum');
    await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Datenschutz', exact: true })).toBeVisible();
  });

  test.describe('at 390 px', () => {
    test.use({ viewport: { width: 390, height: 800 } });
    test('the German title fits and is marked German for hyphenation', async ({ page }) => {
      await page.goto(`${german.origin}/posts/${GERMAN_POST}`);
      const title = page.getByRole('heading', { level: 1 });
      expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
      expect(await title.evaluate((h) => [h.closest('[lang]')!.getAttribute('lang'), getComputedStyle(h).hyphens])).toEqual(['de', 'auto']);
    });
  });
});
