import { test, expect } from '@playwright/test';
import { approveComment, commenter, emailLeaks, postComment, unique } from './fixtures/comments';
import { post } from './fixtures/posts';

/**
 * Structured data (issue 12): each post page carries one schema.org JSON-LD `BlogPosting` with
 * the properties Google's Article guidance asks for (headline, author with name and url,
 * datePublished, image when there is one) and the page's approved comments as `Comment`s with
 * the properties its discussion guidance requires (author.name, a date, text, url). No emails,
 * no pending comments, nothing that can end the script element, and the CSP (no inline script)
 * neither blocks it nor complains.
 */

const SLUG = 'on-call-rotation-changes';

interface LdComment {
  '@type': string;
  author: { '@type': string; name: string };
  dateCreated: string;
  text: string;
  url: string;
  comment?: LdComment[];
}

const flatten = (comments: LdComment[]): LdComment[] => comments.flatMap((c) => [c, ...flatten(c.comment ?? [])]);

test('a post page carries a BlogPosting with its visible approved comments, no emails and no pending ones', async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const author = { ...commenter('Schema'), comment: `Structured </script><script>alert(1)</script> **text** ${unique()}` };
  const replier = { ...commenter('Schema'), comment: `A reply for the data ${unique()}` };
  const waiting = { ...commenter('Schema'), comment: `Still pending ${unique()}` };
  await page.goto(`/posts/${SLUG}`);
  const rootId = await postComment(page, author);
  await approveComment(rootId);
  await page.goto(`/posts/${SLUG}?replyto=${rootId}#respond`);
  const replyId = await postComment(page, replier);
  await approveComment(replyId);
  await page.goto(`/posts/${SLUG}`);
  await postComment(page, waiting);

  // A fresh reader (no own pending comment) and the commenter whose comment is pending see the same data.
  for (const reader of ['commenter', 'stranger']) {
    const context = reader === 'stranger' ? await page.context().browser()!.newContext({ baseURL }) : page.context();
    const view = reader === 'stranger' ? await context.newPage() : page;
    const response = await view.goto(`/posts/${SLUG}`);
    // The CSP keeps script-src to the site's own files: no 'unsafe-inline', no hash for the data block.
    const scriptSrc = response!.headers()['content-security-policy'].split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    const blocks = view.locator('script[type="application/ld+json"]');
    await expect(blocks).toHaveCount(1);
    const raw = (await blocks.textContent())!;
    expect(raw).not.toMatch(/<\/script/i);
    const data = JSON.parse(raw);

    expect(data['@context']).toBe('https://schema.org');
    expect(data['@type']).toBe('BlogPosting');
    expect(data.headline).toBe(post(SLUG).title);
    expect(data.author['@type']).toBe('Person');
    expect(data.author.name).toBe(post(SLUG).author);
    if (data.author.url) expect(data.author.url).toMatch(new RegExp(`^${baseURL}/authors/`));
    expect(Number.isNaN(Date.parse(data.datePublished))).toBe(false);
    expect(data.url).toBe(`${baseURL}/posts/${SLUG}`);
    const count = Number(/\d+/.exec((await view.locator('#comments-title').textContent()) ?? '')?.[0]);
    expect(data.commentCount).toBe(count);
    const hero = view.locator('.hero img, img.hero');
    if (await hero.count()) expect(data.image).toMatch(/^https?:\/\//);

    const comments = flatten(data.comment);
    // Every Comment has what Google's guidance requires.
    for (const c of comments) {
      expect(c['@type']).toBe('Comment');
      expect(c.author.name).toBeTruthy();
      expect(Number.isNaN(Date.parse(c.dateCreated))).toBe(false);
      expect(c.text).toBeTruthy();
      expect(c.url).toMatch(new RegExp(`^${baseURL}/posts/${SLUG}(\\?cpage=\\d+)?#comment-\\d+$`));
    }
    const root = data.comment.find((c: LdComment) => c.url.endsWith(`#comment-${rootId}`));
    expect(root.author.name).toBe(author.name);
    // Plain text: the Markdown's bold is just the word; the script tags are text.
    expect(root.text).toBe(author.comment.replace('**text**', 'text'));
    expect(root.comment.map((c: LdComment) => c.url)).toEqual([`${baseURL}/posts/${SLUG}#comment-${replyId}`]);
    expect(raw).not.toContain(waiting.comment);
    for (const who of [author, replier, waiting]) expect(emailLeaks(raw, who.email)).toEqual([]);
    // The page's visible comments and the data agree.
    for (const c of comments) await expect(view.locator(`#${c.url.split('#')[1]}`)).toHaveCount(1);
    if (reader === 'stranger') await context.close();
  }
  expect(violations).toEqual([]);
});
