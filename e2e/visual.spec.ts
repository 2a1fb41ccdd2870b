import { expect, test, type Page } from '@playwright/test';
import { createModerator, en, login } from './fixtures/admin';
import { startServer, type RunningServer } from './fixtures/server';
import { QUEUE, THREAD, seedComments } from './fixtures/seed';

/**
 * Screenshots of what readers and moderators see, at phone (390 px) and desk (1280 px) widths,
 * light and dark, compared with the committed baselines in e2e/visual.spec.ts-snapshots/.
 * Everything on screen is fixed: its own server and database, comments with fixed dates, a
 * moderator with a fixed name. After an intended change of look, review the new pictures and
 * update them with `--update-snapshots`.
 */

const THREAD_POST = 'sip-trunk-registration-outage';
const QUEUE_POST = 'how-we-test-failover';
const MODERATOR = { email: 'visual.moderator@example.com', name: 'Priya Raman', password: 'visual-tests-password-1' };

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
  await createModerator(server.databasePath, MODERATOR.email, MODERATOR.name, MODERATOR.password);
  seedComments(server.databasePath, THREAD_POST, THREAD);
  seedComments(server.databasePath, QUEUE_POST, QUEUE);
});
test.afterAll(async () => {
  await server?.stop();
});

// Small rendering differences (anti-aliasing) pass; a moved block or a changed colour does not.
const SHOT = { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide' } as const;

/** Waits until every image on the page has loaded, so pictures are never half-drawn. */
async function imagesLoaded(page: Page) {
  await page.waitForLoadState('load');
  await expect.poll(() => page.evaluate(() => [...document.images].every((img) => img.complete))).toBe(true);
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [390, 1280]) {
    test.describe(`${width} px, ${colorScheme}`, () => {
      test.use({ colorScheme, viewport: { width, height: 900 } });
      const name = (what: string) => `${what}-${width}-${colorScheme}.png`;

      test('home page', async ({ page }) => {
        await page.goto(`${server.origin}/`);
        await imagesLoaded(page);
        await expect(page).toHaveScreenshot(name('home'), SHOT);
      });

      test('post with a threaded conversation', async ({ page }) => {
        await page.goto(`${server.origin}/posts/${THREAD_POST}`);
        await imagesLoaded(page);
        await expect(page).toHaveScreenshot(name('post-top'), SHOT);
        await expect(page.locator('#comments .comment-list')).toHaveScreenshot(name('post-thread'), SHOT);
      });

      test('comment form after an invalid submission', async ({ page }) => {
        await page.goto(`${server.origin}/posts/${THREAD_POST}#respond`);
        const form = page.locator('form#respond');
        await form.getByRole('textbox', { name: en['form.email'], exact: true }).fill('not-an-address');
        await form.getByRole('textbox', { name: en['form.website'], exact: true }).fill('ftp://example.com');
        await form.getByRole('button', { name: en['form.submit'], exact: true }).click();
        await expect(form.getByRole('alert')).toBeVisible();
        // The focus ring on the first invalid field is part of what the commenter sees.
        await expect(form).toHaveScreenshot(name('form-errors'), SHOT);
      });

      test('moderation queue', async ({ page }) => {
        await login(page, MODERATOR.email, MODERATOR.password, server.origin);
        await page.goto(`${server.origin}/admin?status=pending`);
        await expect(page).toHaveScreenshot(name('queue'), SHOT);
      });
    });
  }
}
