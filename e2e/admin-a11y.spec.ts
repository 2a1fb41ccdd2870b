import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { login, newModerator } from './fixtures/admin';
import { commenter, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';

/**
 * The moderator's pages and the comment form's error state pass the same axe scan as the
 * public pages (WCAG 2.1 A/AA), in light and dark.
 */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

for (const colorScheme of ['light', 'dark'] as const) {
  test(`moderation pages and the form with errors have no axe violations (${colorScheme})`, async ({ page, browser, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const reader = await browser.newContext({ baseURL });
    const readerPage = await reader.newPage();
    await readerPage.goto('/posts/our-move-to-ipv6');
    const id = await postComment(readerPage, { ...commenter('Axe'), comment: `Accessible? ${unique()}` });

    // The comment form after an invalid submission: errors, summary, kept values.
    await readerPage.emulateMedia({ colorScheme });
    await readerPage.getByRole('button', { name: 'Post comment' }).click();
    await expect(readerPage.getByRole('alert').first()).toBeVisible();
    expect((await new AxeBuilder({ page: readerPage }).withTags(WCAG).analyze()).violations).toEqual([]);
    await reader.close();

    const mod = await newModerator(sharedDatabase(), 'Axe Mod');
    await page.goto('/admin/login');
    expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations).toEqual([]);
    await login(page, mod.email, mod.password);
    for (const path of ['/admin', '/admin?status=approved', '/admin/settings', '/admin/log', `/admin/comments/${id}`]) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      expect(violations, path).toEqual([]);
    }
  });
}
