import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { doneNotice, openQueue, queueRow, rowButton, type ModeratorAccount, serverWithModerator } from './fixtures/admin';
import { commenter, postComment, unique } from './fixtures/comments';
import { allPosts, en, fill } from './fixtures/posts';
import type { RunningServer } from './fixtures/server';

/**
 * Webhooks end to end: a moderator sets a URL on the rules page, and a real HTTP receiver in
 * this test process gets a signed JSON POST when a reader's comment awaits moderation and again
 * when the moderator publishes it; the rules page shows each delivery. The receiver checks the
 * signature exactly as the README tells an integrator to. Rules are site-wide, so this spec has
 * a server and database of its own. Everything runs without JavaScript.
 */

test.use({ javaScriptEnabled: false });
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const POST = allPosts().find((p) => p.comments)!;

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let mod: ModeratorAccount;
let moderator: BrowserContext;
let page: Page;
let receiver: http.Server;
let hookUrl: string;
const deliveries: Delivery[] = [];

/** Waits (on the condition, polling the in-process list) for a delivery of `event` about `text`. */
async function delivery(event: string, text: string): Promise<Delivery> {
  let found: Delivery | undefined;
  await expect
    .poll(() => (found = deliveries.find((d) => d.headers['x-afterword-event'] === event && d.body.includes(text))), { timeout: 20_000 })
    .toBeTruthy();
  return found!;
}

/** The README's check: HMAC-SHA256 of the raw body with the secret, compared in constant time. */
function signatureValid(secret: string, delivered: Delivery): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(delivered.body).digest('hex')}`);
  const given = Buffer.from(String(delivered.headers['x-afterword-signature']));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/afterword`;

  ({ server, mod, context: moderator, page } = await serverWithModerator(browser, 'Hook Mod'));
});

test.afterAll(async () => {
  await moderator?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const urlsField = () => page.getByLabel(fill(en['admin.rules.webhookUrls'], { max: 3 }), { exact: true });

test('a bad address is refused with a clear message and nothing is saved', async () => {
  await page.goto(`${server.origin}/admin/settings`);
  await expect(page.getByText(en['admin.rules.webhookNoSecret'])).toBeVisible();
  await urlsField().fill('ftp://files.example/hook');
  await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
  await expect(urlsField()).toHaveAccessibleDescription(fill(en['admin.rules.error.webhookUrl'], { entry: 'ftp://files.example/hook' }));
  await expect(urlsField(), 'what was typed is kept').toHaveValue('ftp://files.example/hook');
  await page.goto(`${server.origin}/admin/settings`);
  await expect(urlsField()).toHaveValue('');
});

test('a saved URL receives a signed POST for a pending comment and again when it is published', async ({ browser }) => {
  await page.goto(`${server.origin}/admin/settings`);
  await urlsField().fill(hookUrl);
  await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(en['admin.done.rules']);
  await page.reload();
  await expect(urlsField()).toHaveValue(hookUrl);
  const secret = (await page.locator('#webhook-secret').innerText()).trim();
  expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);

  const reader = await browser.newContext({ javaScriptEnabled: false });
  const readerPage = await reader.newPage();
  await readerPage.goto(`${server.origin}/posts/${POST.slug}`);
  const who = commenter('Hooked');
  const text = unique('Did the second region take over? ');
  const id = await postComment(readerPage, { ...who, comment: text });
  await reader.close();

  const pending = await delivery('comment.pending', text);
  expect(pending.headers['content-type']).toBe('application/json');
  expect(signatureValid(secret, pending)).toBe(true);
  const body = JSON.parse(pending.body);
  expect(Math.abs(Date.now() / 1000 - body.timestamp)).toBeLessThan(300);
  expect(String(body.timestamp)).toBe(pending.headers['x-afterword-timestamp']);
  expect(body).toMatchObject({
    event: 'comment.pending',
    post: { slug: POST.slug, title: POST.title, url: `${server.origin}/posts/${POST.slug}` },
    comment: { id, status: 'pending', authorName: who.name, text, permalink: `${server.origin}/comments/${id}`, moderationUrl: `${server.origin}/admin/comments/${id}` },
  });
  expect(body.text).toContain(who.name);
  expect(pending.body, 'the commenter’s email never leaves in a webhook').not.toContain(who.email);

  await openQueue(page, 'pending', text, server.origin);
  await rowButton(queueRow(page, text), 'approve').click();
  await expect(doneNotice(page, 'approve', 1)).toBeVisible();
  const published = await delivery('comment.published', text);
  expect(signatureValid(secret, published)).toBe(true);
  expect(JSON.parse(published.body)).toMatchObject({ event: 'comment.published', comment: { id, status: 'approved' } });

  // Moderators see what was delivered.
  await page.goto(`${server.origin}/admin/settings`);
  const log = page.getByRole('table');
  await expect(log.getByRole('row').filter({ hasText: 'comment.published' })).toContainText(fill(en['admin.rules.delivery.delivered'], { status: 204 }));
  await expect(log.getByRole('row').filter({ hasText: 'comment.pending' })).toContainText(fill(en['admin.rules.delivery.delivered'], { status: 204 }));
});

test('a new signing secret signs the next delivery; the old one no longer verifies', async ({ browser }) => {
  await page.goto(`${server.origin}/admin/settings`);
  const old = (await page.locator('#webhook-secret').innerText()).trim();
  await page.getByRole('button', { name: en['admin.rules.webhookRegenerate'], exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(en['admin.done.webhookSecret']);
  const fresh = (await page.locator('#webhook-secret').innerText()).trim();
  expect(fresh).not.toBe(old);

  const reader = await browser.newContext({ javaScriptEnabled: false });
  const readerPage = await reader.newPage();
  await readerPage.goto(`${server.origin}/posts/${POST.slug}`);
  const text = unique('Another question ');
  await postComment(readerPage, { ...commenter('Hooked'), comment: text });
  await reader.close();
  const signed = await delivery('comment.pending', text);
  expect(signatureValid(fresh, signed)).toBe(true);
  expect(signatureValid(old, signed)).toBe(false);
});
