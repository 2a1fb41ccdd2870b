import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import {
  allPosts,
  allTags,
  commentCountPattern,
  en,
  escapeRegExp,
  fencedCode,
  fill,
  h2Headings,
  images,
  indexPageOf,
  indexPages,
  indexPath,
  listItems,
  post,
  postsWithTag,
  readingTimePattern,
  tableHeaders,
  type PostFile,
} from './fixtures/posts';

/**
 * The reading side of the blog: index, pagination, posts, tags, feeds, errors, and the
 * guarantees every page gives (security headers, no inline script, works without JavaScript).
 */

const GUIDE = 'markdown-field-guide';
const MISSING = ['/no-such-page', '/posts/no-such-post', '/tags/no-such-tag', `/page/${indexPages().length + 998}`];

/** Every public page a reader can reach, plus one unknown address. */
function sitePaths(): string[] {
  return [
    ...indexPages().map((_, i) => indexPath(i + 1)),
    ...allPosts().map((p) => `/posts/${p.slug}`),
    ...allTags().map((t) => `/tags/${t}`),
    '/no-such-page',
  ];
}

/** Matches Markdown text after typographic rendering ("quotes" may become “curly”, -- a dash). */
function typographic(text: string, whole = false): RegExp {
  const pattern = escapeRegExp(text)
    .replace(/["“”„]/g, '["“”„]')
    .replace(/['‘’]/g, "['‘’]")
    .replace(/---?/g, '(?:---?|–|—)')
    .replace(/\\\.\\\.\\\./g, '(?:\\.\\.\\.|…)');
  return new RegExp(whole ? `^\\s*${pattern}\\s*$` : pattern);
}

const posts = (page: Page) => page.getByRole('main').getByRole('article');

/** The `datetime` values of the `<time>` elements inside `scope`, as epoch milliseconds. */
async function datetimes(scope: Locator): Promise<number[]> {
  return scope.locator('time[datetime]').evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute('datetime')!)));
}

/** Checks one entry of a post list against the post it should show. */
async function expectListedPost(article: Locator, expected: PostFile) {
  const title = article.getByRole('heading').getByRole('link');
  await expect(title).toHaveText(expected.title);
  await expect(title).toHaveAttribute('href', `/posts/${expected.slug}`);
  expect(await datetimes(article)).toContain(expected.pubDate.getTime());
  const englishMonth = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(expected.pubDate);
  await expect(article.locator('time').first()).toContainText(englishMonth);
  await expect(article.locator('time').first()).toContainText(String(expected.pubDate.getUTCFullYear()));
  await expect(article.getByText(fill(en['post.by'], { author: expected.author }), { exact: true })).toBeVisible();
  await expect(article.getByText(expected.description, { exact: true })).toBeVisible();
  await expect(article.getByText(readingTimePattern(en))).toBeVisible();
  await expect(article.getByText(commentCountPattern(en))).toBeVisible();
}

/** Parses XML with the browser's DOMParser (no regexes): element tree as nested plain objects. */
interface XmlNode {
  name: string;
  ns: string | null;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}
async function parseXml(page: Page, xml: string): Promise<XmlNode> {
  const result = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) return { error: error.textContent ?? 'parse error' };
    const walk = (el: Element): XmlNode => ({
      name: el.localName,
      ns: el.namespaceURI,
      attrs: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
      text: (el.textContent ?? '').trim(),
      children: [...el.children].map(walk),
    });
    return { root: walk(doc.documentElement) };
  }, xml);
  if ('error' in result) throw new Error(`not well-formed XML: ${result.error}`);
  return result.root!;
}
const child = (node: XmlNode, name: string) => node.children.find((c) => c.name === name);
const children = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);

async function expectOk(request: APIRequestContext, url: string) {
  const response = await request.get(url);
  expect(response.status(), `${url} should resolve`).toBe(200);
  return response;
}

test.describe('index', () => {
  test('lists the newest posts first with title link, date, author, description, reading time and comment count', async ({ page }) => {
    const firstPage = indexPages()[0];
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['index.title']);
    await expect(posts(page)).toHaveCount(firstPage.length);
    for (const [i, expected] of firstPage.entries()) await expectListedPost(posts(page).nth(i), expected);
    const dates = (await posts(page).evaluateAll((articles) =>
      articles.map((a) => Date.parse(a.querySelector('time[datetime]')!.getAttribute('datetime')!)),
    )) as number[];
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  test('shows 10 posts per page and pages through the rest with "Older posts" and "Newer posts"', async ({ page }) => {
    const pages = indexPages();
    expect(pages.length, 'the sample posts fill more than one page').toBeGreaterThan(1);
    await page.goto('/');
    await expect(posts(page)).toHaveCount(10);
    const pagination = page.getByRole('navigation', { name: en['pagination.label'] });
    await expect(pagination.getByRole('link', { name: en['pagination.newer'] })).toHaveCount(0);

    for (let n = 2; n <= pages.length; n++) {
      await pagination.getByRole('link', { name: en['pagination.older'] }).click();
      await expect(page).toHaveURL(`/page/${n}`);
      await expect(posts(page)).toHaveCount(pages[n - 1].length);
      await expect(posts(page).getByRole('heading')).toHaveText(pages[n - 1].map((p) => p.title));
      await expect(pagination.getByText(fill(en['pagination.status'], { page: n, count: pages.length }))).toBeVisible();
    }
    await expect(pagination.getByRole('link', { name: en['pagination.older'] })).toHaveCount(0);

    for (let n = pages.length - 1; n >= 1; n--) {
      await pagination.getByRole('link', { name: en['pagination.newer'] }).click();
      await expect(page).toHaveURL(indexPath(n));
      await expect(posts(page).getByRole('heading')).toHaveText(pages[n - 1].map((p) => p.title));
    }
  });

  test('/page/1 redirects to the front page and a page past the end is a 404', async ({ page, request }) => {
    const redirect = await request.get('/page/1', { maxRedirects: 0 });
    expect([301, 302, 307, 308]).toContain(redirect.status());
    expect(new URL(redirect.headers().location, 'http://x').pathname).toBe('/');
    await page.goto('/page/1');
    await expect(page).toHaveURL('/');
    await expect(posts(page).first().getByRole('heading')).toHaveText(allPosts()[0].title);

    const response = await page.goto(`/page/${indexPages().length + 998}`);
    expect(response!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['notFound.title']);
  });
});

test.describe('post page', () => {
  test('clicking a title opens the post with its details and rendered Markdown', async ({ page }) => {
    const guide = post(GUIDE);
    await page.goto(indexPath(indexPageOf(GUIDE)));
    await page.getByRole('main').getByRole('link', { name: guide.title, exact: true }).click();
    await expect(page).toHaveURL(`/posts/${GUIDE}`);
    await expect(page).toHaveTitle(new RegExp(escapeRegExp(guide.title)));

    const article = page.getByRole('main').getByRole('article').first(); // the post (comments come after it)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(guide.title);
    await expect(article.getByText(fill(en['post.by'], { author: guide.author }), { exact: true })).toBeVisible();
    expect(await datetimes(article)).toContain(guide.pubDate.getTime());
    await expect(article.getByText(readingTimePattern(en))).toBeVisible();
    await expect(article.getByText(commentCountPattern(en))).toBeVisible();

    // Headings, lists, code, tables and images from the Markdown are real HTML.
    for (const heading of h2Headings(guide.body)) {
      await expect(article.getByRole('heading', { level: 2, name: typographic(heading, true) })).toBeVisible();
    }
    for (const item of listItems(guide.body)) {
      await expect(article.getByRole('listitem').filter({ hasText: typographic(item) }).first()).toBeVisible();
    }
    const code = fencedCode(guide.body);
    expect(code.length).toBeGreaterThan(0);
    await expect(article.locator('pre code')).toHaveCount(code.length);
    const shownCode = await article.locator('pre code').allInnerTexts();
    for (const [i, block] of code.entries()) expect(shownCode[i].trim()).toBe(block.trim());
    const tables = tableHeaders(guide.body);
    expect(tables.length).toBeGreaterThan(0);
    await expect(article.getByRole('table')).toHaveCount(tables.length);
    await expect(article.getByRole('table').first().getByRole('columnheader')).toHaveText(tables[0]);
    expect(await article.getByRole('table').first().getByRole('row').count()).toBeGreaterThan(1);
    const pictures = images(guide.body);
    expect(pictures.length).toBeGreaterThan(0);
    for (const { alt } of pictures) {
      const img = article.getByRole('img', { name: alt, exact: true });
      await expect(img).toBeVisible();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    }
  });

  test('links each tag to its tag page, which lists exactly the posts with that tag', async ({ page }) => {
    const guide = post(GUIDE);
    await page.goto(`/posts/${GUIDE}`);
    const tagList = page.getByRole('list', { name: en['post.tags'] });
    await expect(tagList.getByRole('link')).toHaveText(guide.tags);
    for (const tag of guide.tags) await expect(tagList.getByRole('link', { name: tag, exact: true })).toHaveAttribute('href', `/tags/${tag}`);

    const tag = guide.tags[0];
    await tagList.getByRole('link', { name: tag, exact: true }).click();
    await expect(page).toHaveURL(`/tags/${tag}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(tag);
    const expected = postsWithTag(tag);
    await expect(posts(page)).toHaveCount(expected.length);
    for (const [i, p] of expected.entries()) await expectListedPost(posts(page).nth(i), p);
  });

  test('every tag page lists exactly the posts with that tag, newest first; an unknown tag is a 404', async ({ page }) => {
    for (const tag of allTags()) {
      const response = await page.goto(`/tags/${tag}`);
      expect(response!.status(), `/tags/${tag}`).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(tag);
      await expect(posts(page).getByRole('heading')).toHaveText(postsWithTag(tag).map((p) => p.title));
    }
    expect((await page.goto('/tags/no-such-tag'))!.status()).toBe(404);
  });

  test('shows related posts that lead to other posts', async ({ page }) => {
    const known = new Set(allPosts().map((p) => `/posts/${p.slug}`));
    await page.goto(`/posts/${GUIDE}`);
    const related = page.getByRole('complementary', { name: en['post.related'] });
    await expect(related.getByRole('heading', { name: en['post.related'] })).toBeVisible();
    const links = related.getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const href of hrefs) {
      expect(known.has(href), `${href} is a post`).toBe(true);
      expect(href).not.toBe(`/posts/${GUIDE}`);
    }
    const first = await links.first().textContent();
    await links.first().click();
    await expect(page).toHaveURL(hrefs[0]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(first!.trim());
  });

  test('every post page renders with its title', async ({ page }) => {
    for (const p of allPosts()) {
      const response = await page.goto(`/posts/${p.slug}`);
      expect(response!.status(), p.slug).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.title);
    }
  });
});

test.describe('feeds', () => {
  test('/rss.xml is an RSS 2.0 feed with one item per post, linking to pages on SITE_URL', async ({ page, request, baseURL }) => {
    const response = await expectOk(request, '/rss.xml');
    expect(response.headers()['content-type']).toMatch(/xml/);
    const rss = await parseXml(page, await response.text());
    expect(rss.name).toBe('rss');
    expect(rss.attrs.version).toBe('2.0');
    const channel = child(rss, 'channel')!;
    expect(channel, 'rss > channel').toBeTruthy();
    for (const required of ['title', 'link', 'description']) expect(child(channel, required)?.text, `channel ${required}`).toBeTruthy();
    expect(new URL(child(channel, 'link')!.text).origin).toBe(new URL(baseURL!).origin);

    const items = children(channel, 'item');
    expect(items).toHaveLength(allPosts().length);
    const bySlug = new Map(allPosts().map((p) => [p.slug, p]));
    const seen = new Set<string>();
    for (const item of items) {
      const link = new URL(child(item, 'link')!.text);
      expect(link.origin).toBe(new URL(baseURL!).origin);
      const slug = /^\/posts\/([^/]+)\/?$/.exec(link.pathname)?.[1];
      const expected = slug && bySlug.get(slug);
      expect(expected, `${link} is a post`).toBeTruthy();
      seen.add(slug!);
      if (!expected) continue;
      expect(child(item, 'title')?.text).toBe(expected.title);
      expect(child(item, 'description')?.text).toBe(expected.description);
      expect(Date.parse(child(item, 'pubDate')!.text)).toBe(expected.pubDate.getTime());
      const pageResponse = await expectOk(request, link.href);
      expect(await pageResponse.text()).toContain('<h1');
    }
    expect(seen.size).toBe(allPosts().length);
  });

  test('/sitemap-index.xml points to sitemaps that list every post, and every URL resolves', async ({ page, request, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const index = await parseXml(page, await (await expectOk(request, '/sitemap-index.xml')).text());
    expect(index.name).toBe('sitemapindex');
    const sitemapUrls = children(index, 'sitemap').map((s) => child(s, 'loc')!.text);
    expect(sitemapUrls.length).toBeGreaterThan(0);

    const urls: string[] = [];
    for (const sitemapUrl of sitemapUrls) {
      expect(new URL(sitemapUrl).origin).toBe(origin);
      const sitemap = await parseXml(page, await (await expectOk(request, sitemapUrl)).text());
      expect(sitemap.name).toBe('urlset');
      urls.push(...children(sitemap, 'url').map((u) => child(u, 'loc')!.text));
    }
    const paths = urls.map((u) => new URL(u).pathname.replace(/(.)\/$/, '$1'));
    for (const u of urls) expect(new URL(u).origin).toBe(origin);
    expect(paths).toContain('/');
    for (const p of allPosts()) expect(paths, `sitemap lists ${p.slug}`).toContain(`/posts/${p.slug}`);
    for (const u of urls) await expectOk(request, u);
  });
});

test.describe('errors and health', () => {
  for (const path of MISSING) {
    test(`${path} answers 404 with a helpful page that links home`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response!.status()).toBe(404);
      expect(response!.headers()['content-type']).toMatch(/text\/html/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['notFound.title']);
      await expect(page.getByText(en['notFound.text'])).toBeVisible();
      await page.getByRole('main').getByRole('link', { name: en['notFound.back'] }).click();
      await expect(page).toHaveURL('/');
      await expect(posts(page).first()).toBeVisible();
    });
  }

  test('GET /healthz answers 200', async ({ request }) => {
    const response = await request.get('/healthz');
    expect(response.status()).toBe(200);
  });
});

test.describe('page guarantees', () => {
  test('HTML responses carry the security headers (CSP without inline script, no framing, nosniff, Referrer-Policy)', async ({ request }) => {
    for (const path of sitePaths()) {
      const response = await request.get(path);
      const headers = response.headers();
      expect(headers['content-type'], path).toMatch(/text\/html/);
      const csp = headers['content-security-policy'];
      expect(csp, `${path}: Content-Security-Policy`).toBeTruthy();
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((d) => d[0])
          .map(([name, ...values]) => [name.toLowerCase(), values.map((v) => v.toLowerCase())]),
      );
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      expect(scriptSrc, `${path}: script-src or default-src`).toBeTruthy();
      expect(scriptSrc, `${path}: script-src`).not.toContain("'unsafe-inline'");
      expect(scriptSrc, `${path}: script-src`).not.toContain('*');
      expect(directives.get('frame-ancestors'), `${path}: frame-ancestors`).toEqual(["'none'"]);
      expect(headers['x-content-type-options'], `${path}: X-Content-Type-Options`).toBe('nosniff');
      const referrer = headers['referrer-policy'];
      expect(referrer, `${path}: Referrer-Policy`).toBeTruthy();
      expect(['unsafe-url', 'no-referrer-when-downgrade']).not.toContain(referrer);
    }
  });

  test('no page has inline script or inline event handlers', async ({ page }) => {
    for (const path of sitePaths()) {
      await page.goto(path);
      const inline = await page.evaluate(() => [
        // JSON-LD is data the browser never runs; everything else inline is refused.
        ...[...document.scripts].filter((s) => s.type !== 'application/ld+json' && (!s.src || s.textContent!.trim() !== '')).map((s) => s.outerHTML.slice(0, 120)),
        ...[...document.querySelectorAll('*')].flatMap((el) =>
          [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${el.localName} ${a.name}="${a.value.slice(0, 60)}">`),
        ),
        ...[...document.querySelectorAll('a[href^="javascript:" i]')].map((a) => a.outerHTML.slice(0, 120)),
      ]);
      expect(inline, `${path} has inline script`).toEqual([]);
    }
  });

  test('pages load without console errors, blocked content (CSP) or failed requests', async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 404/.test(msg.text())) problems.push(`${page.url()}: console: ${msg.text().slice(0, 300)}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    page.on('requestfailed', (r) => {
      // ERR_ABORTED: the test navigated on before a late request (e.g. the favicon) finished.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${page.url()}: ${r.url()} failed: ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${page.url()}: ${r.url()} answered ${r.status()}`);
    });
    for (const path of sitePaths()) {
      await page.goto(path);
      await page.waitForLoadState('load');
    }
    expect(problems).toEqual([]);
  });

  test('every page advertises the RSS feed for feed readers', async ({ page }) => {
    for (const path of ['/', `/posts/${GUIDE}`]) {
      await page.goto(path);
      // The posts feed; pages also announce the comment feeds (their own tests).
      await expect(page.locator('link[rel="alternate"][type="application/rss+xml"][href="/rss.xml"]')).toHaveCount(1);
    }
    await page.getByRole('banner').getByRole('link', { name: en['nav.rss'] }).click();
    await expect(page).toHaveURL('/rss.xml');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the index, a post, tags and pagination all work', async ({ page }) => {
    const [first] = allPosts();
    await page.goto('/');
    await expect(posts(page)).toHaveCount(indexPages()[0].length);
    await page.getByRole('main').getByRole('link', { name: first.title, exact: true }).click();
    await expect(page).toHaveURL(`/posts/${first.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.title);
    await expect(page.getByRole('main').getByRole('article').first().getByText(readingTimePattern(en))).toBeVisible();

    const tag = first.tags[0];
    await page.getByRole('list', { name: en['post.tags'] }).getByRole('link', { name: tag, exact: true }).click();
    await expect(page).toHaveURL(`/tags/${tag}`);
    await expect(posts(page)).toHaveCount(postsWithTag(tag).length);

    await page.getByRole('banner').getByRole('link', { name: en['nav.home'], exact: true }).click();
    await expect(page).toHaveURL('/');
    if (indexPages().length > 1) {
      await page.getByRole('link', { name: en['pagination.older'] }).click();
      await expect(page).toHaveURL('/page/2');
      const older = indexPages()[1][0];
      await page.getByRole('main').getByRole('link', { name: older.title, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(older.title);
    }
  });
});
