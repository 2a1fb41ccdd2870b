import { test, expect } from '@playwright/test';
import { SaxesParser } from 'saxes';
import { approveComment, commenter, emailLeaks, postComment, t, unique } from './fixtures/comments';
import { post } from './fixtures/posts';

/**
 * Comment feeds (issue 12): `/comments/rss.xml` (site-wide) and `/posts/<slug>/comments/rss.xml`
 * are RSS 2.0 a real XML parser accepts, carry only approved comments, newest first, without
 * emails, link each comment's stable address, are announced by `<link rel="alternate">`, and
 * change when a comment is published (they are cached like pages).
 */

const SLUG = 'rate-limiting-sms';
const TITLE = post(SLUG).title;
const SITE_FEED = '/comments/rss.xml';
const POST_FEED = `/posts/${SLUG}/comments/rss.xml`;

interface Item {
  title: string;
  link: string;
  guid: string;
  pubDate: string;
  description: string;
  creator: string;
}

interface Feed {
  version: string;
  channel: Record<string, string>;
  items: Item[];
}

/** Parses a feed with saxes (a conforming XML parser: malformed XML throws) into its channel and items. */
function parseFeed(xml: string): Feed {
  const parser = new SaxesParser({ xmlns: false });
  const feed: Feed = { version: '', channel: {}, items: [] };
  const path: string[] = [];
  let text = '';
  let item: Record<string, string> | null = null;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    text = '';
    if (tag.name === 'rss') feed.version = String(tag.attributes.version);
    if (tag.name === 'item') item = {};
  });
  parser.on('text', (value) => (text += value));
  parser.on('cdata', (value) => (text += value));
  parser.on('closetag', (tag) => {
    path.pop();
    const parent = path[path.length - 1];
    if (tag.name === 'item') {
      const i = item!;
      feed.items.push({ title: i.title, link: i.link, guid: i.guid, pubDate: i.pubDate, description: i.description, creator: i['dc:creator'] });
      item = null;
    } else if (parent === 'item' && item) item[tag.name] = text;
    else if (parent === 'channel') feed.channel[tag.name] = text;
  });
  parser.write(xml).close();
  return feed;
}

async function readFeed(request: import('@playwright/test').APIRequestContext, path: string): Promise<{ xml: string; feed: Feed }> {
  const response = await request.get(path);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/xml/);
  const xml = await response.text();
  return { xml, feed: parseFeed(xml) };
}

test('both feeds are valid RSS 2.0 with approved comments only, newest first, and no email', async ({ page, request, baseURL }) => {
  const first = { ...commenter('Feed'), comment: `First feed comment **bold** <script>alert(1)</script> ${unique()}` };
  const second = { ...commenter('Feed'), comment: `Second feed comment ${unique()}` };
  const hidden = { ...commenter('Feed'), comment: `Never in a feed ${unique()}` };
  await page.goto(`/posts/${SLUG}`);
  const firstId = await postComment(page, first);
  await page.goto(`/posts/${SLUG}`);
  const secondId = await postComment(page, second);
  await page.goto(`/posts/${SLUG}`);
  await postComment(page, hidden);

  // Read once before the approvals: a cached feed must change when comments are published.
  expect((await readFeed(request, POST_FEED)).xml).not.toContain(first.comment.split(' ').pop()!);
  await approveComment(firstId);
  await approveComment(secondId);

  for (const path of [SITE_FEED, POST_FEED]) {
    const { xml, feed } = await readFeed(request, path);
    expect(feed.version).toBe('2.0');
    for (const element of ['title', 'link', 'description']) expect(feed.channel[element], `${path} channel ${element}`).toBeTruthy();
    const ours = feed.items.filter((i) => i.link.endsWith(`/comments/${firstId}`) || i.link.endsWith(`/comments/${secondId}`));
    expect(ours.map((i) => i.link), `${path}: newest first`).toEqual([`${baseURL}/comments/${secondId}`, `${baseURL}/comments/${firstId}`]);
    const [newest, oldest] = ours;
    expect(newest.title).toBe(`${second.name} on “${TITLE}”`);
    expect(newest.creator).toBe(second.name);
    expect(newest.guid).toBe(newest.link);
    expect(Number.isNaN(Date.parse(newest.pubDate))).toBe(false);
    // The body is the thread's sanitised HTML: the bold survives as markup, a script only as text.
    expect(oldest.description).toContain('<strong>bold</strong>');
    expect(oldest.description).not.toContain('<script');
    for (const item of feed.items) for (const element of ['title', 'link', 'guid', 'pubDate', 'description'] as const) expect(item[element], `${path} item ${element}`).toBeTruthy();
    const dates = feed.items.map((i) => Date.parse(i.pubDate));
    expect(dates, `${path}: newest first`).toEqual([...dates].sort((a, b) => b - a));
    expect(xml).not.toContain(hidden.comment);
    for (const who of [first, second, hidden]) expect(emailLeaks(xml, who.email)).toEqual([]);
  }

  // An item's link reaches the comment on the post.
  await page.goto(`${baseURL}/comments/${firstId}`);
  await expect(page).toHaveURL(new RegExp(`/posts/${SLUG}(\\?cpage=\\d+)?#comment-${firstId}$`));
  await expect(page.locator(`#comment-${firstId} strong`)).toHaveText('bold');
});

test('pages announce the feeds with <link rel="alternate">: the site-wide one everywhere, the post\'s on the post', async ({ page, request }) => {
  await page.goto('/');
  const alternates = page.locator('head link[rel="alternate"][type="application/rss+xml"]');
  await expect(alternates.and(page.locator(`[href="${SITE_FEED}"]`))).toHaveAttribute('title', t['feed.comments'].replace('{site}', await page.locator('.brand-name').first().innerText()));
  await expect(page.locator('head link[href$="/comments/rss.xml"]')).toHaveCount(1);

  await page.goto(`/posts/${SLUG}`);
  await expect(page.locator(`head link[rel="alternate"][href="${SITE_FEED}"]`)).toHaveCount(1);
  const own = page.locator(`head link[rel="alternate"][type="application/rss+xml"][href="${POST_FEED}"]`);
  await expect(own).toHaveAttribute('title', `Comments on “${TITLE}”`);
  expect(parseFeed(await (await request.get(POST_FEED)).text()).version).toBe('2.0');
});

test('an unknown post has no comment feed', async ({ request }) => {
  expect((await request.get('/posts/no-such-post/comments/rss.xml')).status()).toBe(404);
});
