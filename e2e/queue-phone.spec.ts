import { expect, test } from '@playwright/test';
import { doneNotice, login, newModerator, openQueue, queueRow } from './fixtures/admin';
import { approveComment, commenter, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { en, fill } from './fixtures/posts';

/**
 * SPEC "Moderators": "The queue is usable on a 390 px wide phone": nothing wider than the screen,
 * every button reachable and big enough for a thumb, bulk actions that work; the bulk menu
 * chooses nothing for the moderator and offers what fits the tab; "in reply to" quotes read as
 * the comment did (no raw Markdown). JavaScript on and off.
 */

const POST = 'qos-for-voip-on-office-networks';
const PHONE = { width: 390, height: 844 };

test.describe.configure({ timeout: 120_000 });

for (const javaScriptEnabled of [true, false]) {
  test(`the queue on a 390 px phone: no sideways scrolling, thumb-sized buttons, working bulk actions (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser, baseURL }) => {
    const marker = unique('phone-');
    const reader = await browser.newContext({ baseURL });
    const mod = await browser.newContext({ baseURL, javaScriptEnabled, viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      const page = await reader.newPage();
      await page.goto(`/posts/${POST}`);
      const parent = await postComment(page, { ...commenter('Quoted'), comment: `Is **jitter** measured per [call](https://example.com/calls) ${marker}?` });
      await approveComment(parent, new URL(baseURL!).origin);
      const longEmail = `a.really.long.address.for.a.narrow.screen.${unique()}@subdomain.example-company.com`;
      await page.goto(`/posts/${POST}?replyto=${parent}#respond`);
      const reply = await postComment(page, { name: 'Replier', email: longEmail, website: 'https://www.example.com/a/very/long/path/that/never/ends', comment: `Yes, per call ${marker}` });
      await page.goto(`/posts/${POST}`);
      const other = await postComment(page, { ...commenter('Other'), comment: `Another question ${marker}` });

      const moderator = await newModerator(sharedDatabase(), 'Phone Mod');
      const admin = await mod.newPage();
      await login(admin, moderator.email, moderator.password);
      await openQueue(admin, 'pending', marker);
      await expect(queueRow(admin, `Yes, per call ${marker}`)).toBeVisible();

      expect(await admin.evaluate(() => document.documentElement.scrollWidth), 'the page is no wider than the phone').toBeLessThanOrEqual(PHONE.width);
      for (const button of await admin.getByRole('main').getByRole('button').all()) {
        const box = (await button.boundingBox())!;
        const name = await button.innerText();
        expect(box.x, `"${name}" starts on screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `"${name}" ends on screen`).toBeLessThanOrEqual(PHONE.width);
        expect(box.height, `"${name}" is big enough for a thumb`).toBeGreaterThanOrEqual(44);
      }

      // The quote reads as the reader saw it.
      const row = queueRow(admin, `Yes, per call ${marker}`);
      await expect(row).toContainText(`Is jitter measured per call ${marker}?`);
      await expect(row).not.toContainText('**jitter**');

      // The bulk menu chooses nothing by itself and offers only what fits the tab.
      const bulk = admin.getByLabel(en['admin.queue.bulkLabel']);
      await expect(bulk).toHaveValue('');
      const offered = await bulk.locator('option').allInnerTexts();
      expect(offered).toEqual([en['admin.queue.bulkChoose'], en['admin.action.approve'], en['admin.action.spam'], en['admin.action.trash'], en['admin.action.delete']]);
      await admin.getByRole('checkbox', { name: `${en['admin.queue.select']} #${reply}` }).check();
      await admin.getByRole('checkbox', { name: `${en['admin.queue.select']} #${other}` }).check();
      await admin.getByRole('button', { name: en['admin.queue.bulkApply'], exact: true }).click();
      await expect(admin.getByRole('alert')).toHaveText(en['admin.error.action']);
      await openQueue(admin, 'pending', marker);
      await admin.getByRole('checkbox', { name: `${en['admin.queue.select']} #${reply}` }).check();
      await admin.getByRole('checkbox', { name: `${en['admin.queue.select']} #${other}` }).check();
      await admin.getByLabel(en['admin.queue.bulkLabel']).selectOption({ label: en['admin.action.spam'] });
      await admin.getByRole('button', { name: en['admin.queue.bulkApply'], exact: true }).click();
      await expect(doneNotice(admin, 'spam', 2)).toBeVisible();
      expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      // On the Approved tab the menu does not offer Approve.
      await openQueue(admin, 'approved', marker);
      const approvedOffers = await admin.getByLabel(en['admin.queue.bulkLabel']).locator('option').allInnerTexts();
      expect(approvedOffers).not.toContain(en['admin.action.approve']);
      expect(approvedOffers).toContain(en['admin.action.unapprove']);
      await expect(admin.getByText(fill(en['admin.queue.total.one'], {}), { exact: true })).toBeVisible();
    } finally {
      await reader.close();
      await mod.close();
    }
  });
}
