import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { browserSessionToken, login, type ModeratorAccount, newModerator } from '../fixtures/admin';
import { unique } from '../fixtures/comments';
import { commentRow, sessionStored, withDb } from '../fixtures/db';
import { commentViaHttp, formPost, get, setCookieValue } from '../fixtures/http';

/**
 * SPEC "Moderation": sessions expire. A session whose expiry has passed (set in the database,
 * as if two weeks had gone by) no longer opens any admin page or action, even though the
 * browser still sends its cookie; a session used in the second half of its life is extended.
 */

const SLUG = 'on-call-rotation-changes';
const DAY_MS = 24 * 60 * 60 * 1000;
const LIFETIME_MS = 14 * DAY_MS;

let origin: string;
let moderator: ModeratorAccount;

test.beforeAll(async ({ baseURL }) => {
  origin = new URL(baseURL!).origin;
  moderator = await newModerator();
});

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');

/** Moves a session's expiry in the e2e database (the only way to let two weeks pass in a test). */
function setSessionExpiry(token: string, expiresAt: number): void {
  const changed = withDb((db) => db.prepare('update sessions set expires_at = ? where id = ?').run(expiresAt, sessionId(token)).changes);
  expect(changed, 'the session exists').toBe(1);
}

function sessionExpiry(token: string): number | undefined {
  return withDb((db) => (db.prepare('select expires_at from sessions where id = ?').get(sessionId(token)) as { expires_at: number } | undefined)?.expires_at);
}

test('an expired session sends the moderator back to the login page and opens nothing', async ({ page }) => {
  await login(page, moderator.email, moderator.password);
  const token = (await browserSessionToken(page))!;
  expect(token).toBeTruthy();
  await page.goto('/admin/settings');
  await expect(page).toHaveURL(/\/admin\/settings$/);

  setSessionExpiry(token, Date.now() - 1000);

  // The browser still holds the cookie, but every admin page now leads to the login.
  expect(await browserSessionToken(page), 'the browser still sends the old cookie').toBe(token);
  for (const path of ['/admin', '/admin/settings', '/admin/log']) {
    await page.goto(path);
    await expect(page, `${path} redirects to the login`).toHaveURL(/\/admin\/login$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Moderator login' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Log out', exact: true })).toHaveCount(0);
  }
  expect(sessionStored(token), 'the expired session was removed from the database').toBe(false);

  // An action with the expired cookie changes nothing.
  const id = await commentViaHttp(origin, SLUG, { comment: `session expiry probe ${unique()}` });
  const action = await formPost(`${origin}/admin?_action=admin.moderate`, { do: `approve:${id}` }, { origin, session: token });
  expect(action.status).toBe(401);
  expect(commentRow(id)?.status).toBe('pending');

  // Logging in again works and gives a new session.
  await login(page, moderator.email, moderator.password);
  const fresh = await browserSessionToken(page);
  expect(fresh).toBeTruthy();
  expect(fresh).not.toBe(token);
});

test('a session used in the second half of its life is extended, in the database and in the cookie', async ({ page }) => {
  await login(page, moderator.email, moderator.password);
  const token = (await browserSessionToken(page))!;
  setSessionExpiry(token, Date.now() + 2 * DAY_MS);

  const before = Date.now();
  const response = await get(`${origin}/admin`, token);
  expect(response.status).toBe(200);
  const extended = sessionExpiry(token)!;
  expect(extended, 'about fourteen days from now').toBeGreaterThanOrEqual(before + LIFETIME_MS - 60_000);
  expect(extended).toBeLessThanOrEqual(Date.now() + LIFETIME_MS + 60_000);
  expect(setCookieValue(response, 'aw_session'), 'the cookie is sent again with the same token').toBe(token);
  const line = response.headers.getSetCookie().find((c) => c.startsWith('aw_session='))!;
  const expires = Date.parse(/expires=([^;]+)/i.exec(line)![1]);
  expect(Math.abs(expires - extended), 'the cookie expires with the session').toBeLessThan(2000);

  // Far from expiry, nothing is rewritten.
  const quiet = await get(`${origin}/admin`, token);
  expect(quiet.status).toBe(200);
  expect(setCookieValue(quiet, 'aw_session')).toBeUndefined();
  expect(sessionExpiry(token)).toBe(extended);
});
