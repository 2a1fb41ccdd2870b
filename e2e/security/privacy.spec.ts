import { expect, test } from '@playwright/test';
import { approveViaAdmin, createModerator, login, moderatorAccount, type ModeratorAccount } from '../fixtures/admin';
import { emailFingerprints, emailLeaks, postComment, unique } from '../fixtures/comments';
import { commentRow, commentsWhere, sharedDatabase, withDb } from '../fixtures/db';
import { allPosts, allTags, en, indexPages, indexPath } from '../fixtures/posts';

/**
 * SPEC "Comments": the email address is never sent to the public — not in HTML, attributes,
 * feeds, JSON, headers, nor as a hash (MD5/SHA of an email is reversible by lookup). After
 * comments with distinctive addresses (a comment, a reader's reply, a moderator's reply, and a
 * comment still pending) every public URL is crawled without cookies and searched, body and
 * headers, for each address in every form. The same crawl checks the security headers every
 * HTML page must carry (SPEC "Abuse and bad input").
 */

const SLUG = 'why-we-publish-incident-reports';
const ID = unique();
/** Mixed case on purpose: the plain, stored and lowercased forms (and their hashes) must all stay private. */
const EMAIL_A = `Priv.Acy+${ID}@Example.ORG`;
const EMAIL_B = `Second.Reader_${ID}@Mail.Example.COM`;
const EMAIL_PENDING = `Still.Pending-${ID}@Example.NET`;

let moderator: ModeratorAccount;
let ids: { a: number; b: number; pending: number; moderatorReply: number };
/** The first reader's cookies after commenting with "remember me". */
let readerCookies: { name: string; value: string }[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser, baseURL }, testInfo) => {
  testInfo.setTimeout(90_000);
  moderator = { ...moderatorAccount(), email: `Mod.Private+${ID}@Example.DE`, name: `Privacy Moderator ${ID}` };
  await createModerator(sharedDatabase(), moderator.email, moderator.name, moderator.password);
  const reader = await browser.newContext({ baseURL });
  const page = await reader.newPage();
  await page.goto(`/posts/${SLUG}`);
  await page.locator('form#respond').getByRole('checkbox', { name: en['form.remember'] }).check(); // "remember me": the address goes into a cookie too
  const a = await postComment(page, { name: `Privacy Reader ${ID}`, email: EMAIL_A, website: 'https://reader.example/', comment: `A question about the report. ${ID}` });
  await page.goto(`/posts/${SLUG}`);
  const pending = await postComment(page, { name: `Pending Reader ${ID}`, email: EMAIL_PENDING, website: '', comment: `Never approved. ${ID}` });

  const admin = await browser.newContext({ baseURL });
  const adminPage = await admin.newPage();
  await login(adminPage, moderator.email, moderator.password);
  await approveViaAdmin(adminPage, a, EMAIL_A);

  const second = await browser.newContext({ baseURL });
  const secondPage = await second.newPage();
  await secondPage.goto(`/posts/${SLUG}?replyto=${a}#respond`);
  const b = await postComment(secondPage, { name: `Second Reader ${ID}`, email: EMAIL_B, website: '', comment: `A reply to the question. ${ID}` });
  expect(commentRow(b)?.parent_id).toBe(a);
  await approveViaAdmin(adminPage, b, EMAIL_B);

  await adminPage.goto(`/admin/comments/${a}`);
  await adminPage.locator('#reply-comment').fill(`The moderator answers. ${ID}`);
  await adminPage.getByRole('button', { name: 'Publish reply', exact: true }).click();
  await expect(adminPage).toHaveURL(/done=reply/);
  const moderatorReply = commentsWhere('parent_id = ? and moderator_id is not null', [a])[0]?.id;
  expect(moderatorReply, 'the moderator reply was published').toBeTruthy();
  expect(commentRow(pending)?.status).toBe('pending');
  ids = { a, b, pending, moderatorReply };
  readerCookies = await reader.cookies();
  await Promise.all([reader.close(), admin.close(), second.close()]);
});

const privateEmails = () => [EMAIL_A, EMAIL_B, EMAIL_PENDING, moderator.email];

interface Crawled {
  url: string;
  status: number;
  headers: [string, string][];
  body: string;
}

/** Every public URL: the known ones (index pages, posts, tags, feeds, sitemaps, errors) plus every same-origin link found. */
async function crawl(origin: string): Promise<Crawled[]> {
  const seeds = [
    ...indexPages().map((_, i) => indexPath(i + 1)),
    ...allPosts().map((p) => `/posts/${p.slug}`),
    `/posts/${SLUG}?replyto=${ids.a}`,
    `/posts/${SLUG}?replyto=${ids.b}`,
    ...allTags().map((tag) => `/tags/${tag}`),
    '/rss.xml',
    '/sitemap-index.xml',
    '/sitemap-0.xml',
    '/healthz',
    `/no-such-page-${ID}`,
    `/posts/no-such-post-${ID}`,
  ];
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (raw: string, base: string) => {
    let url: URL;
    try {
      url = new URL(raw.replace(/&amp;/g, '&'), base);
    } catch {
      return;
    }
    if (url.origin !== origin || url.pathname.startsWith('/admin') || url.pathname.startsWith('/_actions')) return;
    // "Reply" links of other posts' comments (other specs' threads can be long) add nothing new.
    if (url.searchParams.has('replyto') && url.pathname !== `/posts/${SLUG}`) return;
    url.hash = '';
    if (!seen.has(url.href)) {
      seen.add(url.href);
      queue.push(url.href);
    }
  };
  for (const seed of seeds) add(seed, origin);
  const results: Crawled[] = [];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      const response = await fetch(url, { redirect: 'manual' });
      const body = await response.text();
      results.push({ url, status: response.status, headers: [...response.headers], body });
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('html')) for (const m of body.matchAll(/\s(?:href|src)="([^"]+)"/g)) add(m[1], url);
      if (type.includes('xml')) for (const m of body.matchAll(/<(?:loc|link)>([^<]+)<\/(?:loc|link)>/g)) add(new URL(m[1]).pathname, origin);
      const location = response.headers.get('location');
      if (location) add(location, url);
    }
  };
  // Links are found while crawling: keep going until no worker finds anything new.
  while (queue.length) await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

let pages: Crawled[] = [];

test('no public page, feed or header holds a commenter’s or moderator’s email, nor a hash of it', async ({ baseURL }) => {
  const origin = new URL(baseURL!).origin;
  pages = await crawl(origin);

  // The crawl reached what it had to.
  const urls = new Set(pages.map((p) => new URL(p.url).pathname + new URL(p.url).search));
  for (const post of allPosts()) expect(urls, `crawled /posts/${post.slug}`).toContain(`/posts/${post.slug}`);
  for (const tag of allTags()) expect([...urls].some((u) => decodeURIComponent(u) === `/tags/${tag}`), `crawled the page of tag ${tag}`).toBe(true);
  for (const path of ['/', '/rss.xml', '/sitemap-index.xml', '/sitemap-0.xml', '/healthz']) expect(urls).toContain(path);
  for (const page of pages) {
    const path = new URL(page.url).pathname;
    // /comments/<id> is a redirect to the comment's page (SPEC routes).
    const expected = path.startsWith('/no-such-page') || path.startsWith('/posts/no-such-post') ? 404 : /^\/comments\/\d+$/.test(path) ? 302 : 200;
    expect(page.status, `${page.url} answers ${expected}`).toBe(expected);
  }
  // The comments are there (so their absence of emails means something).
  const post = pages.find((p) => p.url.endsWith(`/posts/${SLUG}`))!;
  for (const id of [ids.a, ids.b, ids.moderatorReply]) expect(post.body, `comment ${id} is public`).toContain(`id="comment-${id}"`);
  expect(post.body, 'the pending comment is not public').not.toContain(`id="comment-${ids.pending}"`);

  const leaks = pages.flatMap((page) => [
    ...emailLeaks(page.body, privateEmails()).map((leak) => `${page.url} body: ${leak}`),
    ...page.headers.flatMap(([name, value]) => emailLeaks(value, privateEmails()).map((leak) => `${page.url} header ${name}: ${leak}`)),
  ]);
  expect(leaks, 'email addresses (plain, lowercased, URL-encoded, MD5/SHA-1/SHA-256) in public responses').toEqual([]);
  // Sanity check of the check: the fingerprints do include the hashes.
  expect(emailFingerprints(EMAIL_A).filter((f) => /^[0-9a-f]{32,64}$/.test(f)).length).toBeGreaterThanOrEqual(9);
});

test('another reader’s browser gets a post page without the email of any commenter', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(`/posts/${SLUG}`);
  await expect(page.locator(`#comment-${ids.a}`)).toBeVisible();
  const html = await page.content();
  const attributes = await page.evaluate(() => [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value)).join('\n'));
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  const everyone = withDb((db) =>
    (db.prepare('select distinct author_email as email from comments where post_slug = ? union select email from moderators').all(SLUG) as { email: string }[]).map((r) => r.email),
  );
  expect(everyone.length).toBeGreaterThanOrEqual(4);
  const plain = everyone.filter((email) => [html, attributes, cookies].some((text) => text.toLowerCase().includes(email.toLowerCase())));
  expect(plain, 'no commenter or moderator email in the page, its attributes or its cookies').toEqual([]);
  expect(emailLeaks(`${html}\n${attributes}\n${cookies}`, privateEmails()), 'nor a hash of the test addresses').toEqual([]);
  // The form of this reader is empty: nothing of another commenter's "remember me".
  await expect(page.locator('form#respond').getByRole('textbox', { name: 'Email', exact: true })).toHaveValue('');
  await context.close();
});

test('the “remember me” cookie does not reveal the address, not even decoded', () => {
  const remembered = readerCookies.filter((c) => c.name.startsWith('aw_'));
  expect(remembered.length, 'the reader got the app’s cookies').toBeGreaterThan(0);
  for (const cookie of remembered) {
    const value = decodeURIComponent(cookie.value);
    const decoded = value.split(/[.:~|]/).map((part) => Buffer.from(part, 'base64url').toString('latin1'));
    expect(emailLeaks([value, ...decoded].join('\n'), [EMAIL_A]), `cookie ${cookie.name}`).toEqual([]);
  }
});

test('every HTML response carries the security headers: CSP without inline script, frame-ancestors none, nosniff, referrer policy', async () => {
  expect(pages.length, 'the crawl ran').toBeGreaterThan(10);
  const html = pages.filter((p) => p.headers.some(([name, value]) => name === 'content-type' && value.includes('text/html')));
  expect(html.length).toBeGreaterThan(allPosts().length);
  for (const page of html) {
    const header = (name: string) => page.headers.find(([n]) => n === name)?.[1];
    const csp = header('content-security-policy');
    expect(csp, `${page.url}: Content-Security-Policy`).toBeTruthy();
    const directives = new Map(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name.toLowerCase(), values] as const),
    );
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
    expect(scriptSrc, `${page.url}: script-src (or default-src)`).toBeTruthy();
    expect(scriptSrc, `${page.url}: no 'unsafe-inline' for scripts`).not.toContain("'unsafe-inline'");
    expect(scriptSrc, `${page.url}: no wildcard script source`).not.toContain('*');
    expect(directives.get('frame-ancestors'), `${page.url}: frame-ancestors 'none'`).toEqual(["'none'"]);
    expect(header('x-content-type-options'), `${page.url}: X-Content-Type-Options`).toBe('nosniff');
    expect(header('referrer-policy'), `${page.url}: Referrer-Policy`).toBe('strict-origin-when-cross-origin');
    // With the CSP forbidding inline script, the pages must not rely on any.
    const inline = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(([, attrs, code]) => !/\bsrc=/.test(attrs) && !/application\/(ld\+)?json/.test(attrs) && code.trim());
    expect(inline.map((m) => m[0].slice(0, 120)), `${page.url}: no inline script`).toEqual([]);
    expect(page.body, `${page.url}: no inline event handler attributes`).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  }
  for (const page of pages) {
    expect(page.headers.find(([n]) => n === 'x-content-type-options')?.[1], `${page.url}: X-Content-Type-Options on every response`).toBe('nosniff');
  }
});
