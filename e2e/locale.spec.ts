import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './fixtures/server';
import { allPosts, commentCountPattern, de, en, escapeRegExp, fill, indexPages, post, readingTimePattern } from './fixtures/posts';

/** SITE_LOCALE switches every UI string and date format; bad configuration stops the process. */

const GERMAN_POST = 'abrechnung-wartung-ausfall-eingehende-anrufe';
const MONATE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
/** A date as German readers write it: "14. Oktober 2026". */
const germanDate = (d: Date) => `${d.getUTCDate()}. ${MONATE[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

/** English UI strings that must not be left untranslated on German pages. */
const ENGLISH_CHROME = [
  en['nav.home'],
  en['nav.skip'],
  en['footer.text'],
  en['pagination.older'],
  en['pagination.newer'],
  en['post.comments.zero'],
  en['post.related'],
  en['notFound.title'],
  'min read',
];

test.describe('SITE_LOCALE=de', () => {
  let server: RunningServer;
  test.beforeAll(async () => {
    server = await startServer({ SITE_LOCALE: 'de' });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('the index is German: lang, navigation, meta line, pagination and dates', async ({ page }) => {
    await page.goto(`${server.origin}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('banner').getByRole('link', { name: de['nav.home'], exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: de['nav.rss'], exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(de['index.title']);
    await expect(page.getByRole('contentinfo')).toContainText(de['footer.text']);

    const articles = page.getByRole('main').getByRole('article');
    await expect(articles).toHaveCount(indexPages()[0].length);
    for (const [i, p] of indexPages()[0].entries()) {
      const article = articles.nth(i);
      await expect(article.getByRole('heading')).toHaveText(p.title);
      await expect(article.locator('time').first()).toHaveText(germanDate(p.pubDate));
      await expect(article.getByText(fill(de['post.by'], { author: p.author }), { exact: true })).toBeVisible();
      await expect(article.getByText(readingTimePattern(de))).toBeVisible();
      await expect(article.getByText(commentCountPattern(de))).toBeVisible();
    }
    // A fresh database: nobody has commented yet.
    await expect(articles.first().getByText(de['post.comments.zero'], { exact: true })).toBeVisible();

    if (indexPages().length > 1) {
      const pagination = page.getByRole('navigation', { name: de['pagination.label'] });
      await expect(pagination.getByText(fill(de['pagination.status'], { page: 1, count: indexPages().length }))).toBeVisible();
      await pagination.getByRole('link', { name: de['pagination.older'] }).click();
      await expect(page).toHaveURL(`${server.origin}/page/2`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill(de['index.pageTitle'], { page: 2 }));
      await expect(pagination.getByRole('link', { name: de['pagination.newer'] })).toBeVisible();
    }

    const text = await page.locator('body').innerText();
    for (const english of ENGLISH_CHROME) expect(text, `untranslated "${english}"`).not.toContain(english);
  });

  test('a post page is German and shows the German date "14. Oktober 2026"', async ({ page }) => {
    const german = post(GERMAN_POST);
    await page.goto(`${server.origin}/posts/${GERMAN_POST}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    const article = page.getByRole('main').getByRole('article').first(); // the post (comments come after it)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(german.title);
    await expect(article.locator('time').first()).toHaveText(germanDate(german.pubDate));
    expect(germanDate(german.pubDate)).toBe('14. Oktober 2026');
    if (german.updatedDate) await expect(article.getByText(de['post.updated'])).toContainText(germanDate(german.updatedDate));
    await expect(article.getByText(fill(de['post.by'], { author: german.author }), { exact: true })).toBeVisible();
    await expect(article.getByText(readingTimePattern(de))).toBeVisible();
    await expect(article.getByText(de['post.comments.zero'], { exact: true })).toBeVisible();
    await expect(page.getByRole('list', { name: de['post.tags'] }).getByRole('link')).toHaveText(german.tags);
    await expect(page.getByRole('heading', { name: de['post.related'] })).toBeVisible();
    await expect(page.getByRole('heading', { name: new RegExp(`^${escapeRegExp(de['comments.title'])}\\b`) })).toBeVisible();
    // The comment form speaks German too.
    await expect(page.getByRole('button', { name: de['form.submit'] })).toBeVisible();
    await expect(page.getByText(de['form.emailNote'])).toBeVisible();

    const text = await page.locator('body').innerText();
    for (const english of ENGLISH_CHROME) expect(text, `untranslated "${english}"`).not.toContain(english);
  });

  test('tag pages, the 404 page and the feed are German too', async ({ page, request }) => {
    const tag = post(GERMAN_POST).tags[0];
    const tagged = allPosts().filter((p) => p.tags.includes(tag));
    await page.goto(`${server.origin}/tags/${tag}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill(de['tag.title'], { tag }));
    await expect(page.getByText(tagged.length === 1 ? de['tag.count.one'] : fill(de['tag.count.other'], { count: tagged.length }), { exact: true })).toBeVisible();

    const response = await page.goto(`${server.origin}/gibt-es-nicht`);
    expect(response!.status()).toBe(404);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(de['notFound.title']);
    await page.getByRole('main').getByRole('link', { name: de['notFound.back'] }).click();
    await expect(page).toHaveURL(`${server.origin}/`);

    const rss = await request.get(`${server.origin}/rss.xml`);
    const language = await page.evaluate(
      (xml) => new DOMParser().parseFromString(xml, 'application/xml').querySelector('channel > language')?.textContent ?? null,
      await rss.text(),
    );
    expect(language).toMatch(/^de/);
  });
});

test('the default server speaks English', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['index.title']);
  await expect(page.getByRole('main').getByRole('article').first().getByText(readingTimePattern(en))).toBeVisible();
  await page.goto('/no-such-page');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['notFound.title']);
});

test.describe('bad configuration stops the process with one line naming the variable', () => {
  const root = join(import.meta.dirname, '..');
  const cases: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['SITE_LOCALE', { SITE_LOCALE: 'fr' }],
    ['SITE_URL', { SITE_URL: 'not a url' }],
    ['COMMENT_FLOOD_SECONDS', { COMMENT_FLOOD_SECONDS: '-1' }],
  ];
  for (const [variable, env] of cases) {
    test(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'afterword-badconfig-'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: root,
        env: {
          ...process.env,
          PORT: '4398',
          HOST: 'localhost',
          DATABASE_PATH: join(dir, 'never.db'),
          SITE_URL: 'http://localhost:4398',
          SITE_LOCALE: 'en',
          OUTBOX_DIR: join(dir, 'outbox'),
          ASTRO_TELEMETRY_DISABLED: '1',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      // A process that wrongly starts anyway is stopped, so the assertions below report it.
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(guard);
      rmSync(dir, { recursive: true, force: true });
      const lines = stderr.split('\n').filter((l) => l.trim() !== '');
      expect(code, `exit code (stdout: ${stdout})`).not.toBe(0);
      expect(lines, 'exactly one line on stderr').toHaveLength(1);
      expect(lines[0]).toContain(variable);
      expect(stdout).not.toMatch(/listening/i);
    });
  }
});
