import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { en, indexPages, post } from './fixtures/posts';

/**
 * WCAG 2.1 A/AA, checked by axe on every kind of page in both colour schemes. A violation is
 * reported with its rule, the elements and axe's explanation (e.g. the contrast numbers).
 */

const GUIDE = 'markdown-field-guide';
const GERMAN_POST = 'abrechnung-wartung-ausfall-eingehende-anrufe';

const pages: [string, string][] = [
  ['the index', '/'],
  ...(indexPages().length > 1 ? ([['index page 2', '/page/2']] as [string, string][]) : []),
  ['the Markdown field guide post', `/posts/${GUIDE}`],
  ['the German post', `/posts/${GERMAN_POST}`],
  ['a tag page', `/tags/${post(GUIDE).tags[0]}`],
  ['the 404 page', '/no-such-page'],
  ['a post with a hero image', '/posts/sip-trunk-registration-outage'],
  ['an author page', '/authors/priya-raman'],
  ['the imprint', '/imprint'],
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} colour scheme`, () => {
    for (const [name, path] of pages) {
      test(`${name} (${path}) has no WCAG 2.1 AA violations`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
        const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const report = violations.map((v) => ({
          rule: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary })),
        }));
        expect(report, JSON.stringify(report, null, 2)).toEqual([]);
      });
    }
  });
}

test('the first Tab reaches a visible "Skip to content" link that moves focus to the main content', async ({ page }) => {
  await page.goto(`/posts/${GUIDE}`);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: en['nav.skip'] });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await page.keyboard.press('Tab');
  // The next stop is inside the main content, not back in the site header.
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
});
