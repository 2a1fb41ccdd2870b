import { expect, test } from '@playwright/test';
import {
  approveComment,
  commentElement,
  commenter,
  emailLeaks,
  formField,
  postComment,
  rememberCheckbox,
  unique,
} from '../fixtures/comments';

/**
 * SPEC "Emails stay private" with the page cache in the way: a commenter who ticked "remember
 * me" comes back and loads a post (their form is filled in with their details), then a stranger
 * loads the same post. Anonymous pages come from a cache; the commenter's page is personal and
 * must never be the one the stranger is handed. Checked with JavaScript on and off.
 */

const SLUG = 'qos-for-voip-on-office-networks';
// Several readers and page loads per test: room for a slow CI machine.
test.describe.configure({ timeout: 90_000 });

for (const javaScriptEnabled of [false, true]) {
  test(`a remembered commenter's page is never served to a stranger (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser, baseURL }) => {
    const who = { ...commenter('Remembered'), website: `https://${unique('site-')}.example.net/` };
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const stranger = await browser.newContext({ baseURL, javaScriptEnabled });
    try {
      const page = await context.newPage();
      await page.goto(`/posts/${SLUG}`);
      const id = await postComment(page, { ...who, comment: unique('Thanks for the write-up ') , remember: true });
      // The moderator publishes it: the database changes, so whatever the cache held is stale now.
      await approveComment(id);

      // The commenter comes back: the first page view since that change is theirs, pre-filled.
      await page.goto(`/posts/${SLUG}`);
      await expect(commentElement(page, id)).toBeVisible();
      await expect(formField(page, 'Name')).toHaveValue(who.name);
      await expect(formField(page, 'Email')).toHaveValue(who.email);
      await expect(formField(page, 'Website')).toHaveValue(who.website);
      await expect(rememberCheckbox(page)).toBeChecked();

      // Then a stranger (no cookies) loads the same post, twice (the second time surely from the cache).
      const reader = await stranger.newPage();
      for (let visit = 1; visit <= 2; visit++) {
        const response = await reader.goto(`/posts/${SLUG}`);
        expect(response?.status()).toBe(200);
        const html = await response!.text();
        expect(emailLeaks(html, who.email), `visit ${visit}: the commenter's address is not in the stranger's page`).toEqual([]);
        expect(html, `visit ${visit}: nor is their website in a form field`).not.toContain(`value="${who.website}"`);
        await expect(commentElement(reader, id), 'the published comment is there').toBeVisible();
        await expect(formField(reader, 'Name')).toHaveValue('');
        await expect(formField(reader, 'Email')).toHaveValue('');
        await expect(formField(reader, 'Website')).toHaveValue('');
        await expect(rememberCheckbox(reader)).not.toBeChecked();
        expect(emailLeaks(await reader.content(), who.email), `visit ${visit}: nor in the page as the browser shows it`).toEqual([]);
      }
      expect((await stranger.cookies()).filter((c) => c.name.startsWith('aw_')), 'the stranger was given none of the commenter’s cookies').toEqual([]);
    } finally {
      await context.close();
      await stranger.close();
    }
  });
}
