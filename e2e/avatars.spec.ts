import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '@playwright/test';
import { approveComment, commenter, emailLeaks, postComment, unique } from './fixtures/comments';

/**
 * Avatars without Gravatar (issue 12): each comment shows initials on a colour derived from a
 * keyed hash of the email; the same commenter gets the same avatar, nothing is fetched from
 * anywhere, the page carries neither the email nor a hash of it, and the avatar is decorative
 * and readable in light and dark.
 */

const SLUG = 'our-move-to-ipv6';

test('the same commenter gets the same avatar, another one their own; nothing leaves the site', async ({ page, baseURL }) => {
  const ann = { ...commenter('Avatar'), name: `Ann Avatar${unique()}` };
  const bob = { ...commenter('Avatar'), name: `Bob Other${unique()}` };
  const ids: number[] = [];
  for (const [who, text] of [[ann, 'first'], [bob, 'second'], [ann, 'third']] as const) {
    await page.goto(`/posts/${SLUG}`);
    const id = await postComment(page, { ...who, comment: `Avatar ${text} ${unique()}` });
    ids.push(id);
    // Ann's second comment is approved at once (this browser proved her address with the first).
    if (await page.locator(`#comment-${id} > article .badge-pending`).count()) await approveComment(id);
  }
  const requests: string[] = [];
  const reader = await page.context().browser()!.newContext({ baseURL });
  const view = await reader.newPage();
  view.on('request', (request) => requests.push(request.url()));
  await view.goto(`/posts/${SLUG}`);
  const avatar = (id: number) => view.locator(`#comment-${id} > article .comment-avatar`);
  await expect(avatar(ids[0])).toHaveText('AA');
  await expect(avatar(ids[1])).toHaveText('BO');
  await expect(avatar(ids[0])).toHaveAttribute('aria-hidden', 'true');
  const colour = (id: number) => avatar(id).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await colour(ids[2])).toBe(await colour(ids[0]));
  expect(await avatar(ids[2]).getAttribute('style')).toBe(await avatar(ids[0]).getAttribute('style'));
  // Decorative: the accessible name of the comment's header is the author's name, not the initials.
  await expect(view.locator(`#comment-${ids[0]} > article .comment-author`)).toHaveText(ann.name);
  expect(requests.every((url) => url.startsWith(baseURL!)), requests.join('\n')).toBe(true);
  const html = await view.content();
  for (const who of [ann, bob]) expect(emailLeaks(html, who.email)).toEqual([]);
  for (const colorScheme of ['light', 'dark'] as const) {
    await view.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page: view }).include('#comments').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(violations, colorScheme).toEqual([]);
  }
  await reader.close();
});
