import { expect, test } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../fixtures/server';
import { browserSessionToken, login, loginViaHttp, type ModeratorAccount, newModerator, sessionIsValid } from '../fixtures/admin';
import { unique } from '../fixtures/comments';
import { commentRow, commentsWhere, countRows, sessionStored, storedRules, withDb } from '../fixtures/db';
import { commentViaHttp, formPost, get, setCookieValue } from '../fixtures/http';

/**
 * SPEC "Moderation": every /admin page and moderation action requires a logged-in moderator
 * (pages redirect to /admin/login, actions answer 401); sessions are random tokens stored hashed
 * server-side, in an HttpOnly, SameSite=Lax cookie (Secure only under HTTPS), replaced at login,
 * revoked on logout; login attempts are rate-limited and do not reveal which emails exist.
 */

const SLUG = 'on-call-rotation-changes';
const LOGIN_REQUIRED = 'Please log in as a moderator to do this.';
const INVALID = 'The email or password is incorrect.';
const LOCKED = 'Too many failed attempts';

let origin: string;
let moderator: ModeratorAccount;

test.beforeAll(async ({ baseURL }) => {
  origin = new URL(baseURL!).origin;
  moderator = await newModerator();
});

/** A random token of the right shape (43 base64url characters, like a real one). */
const randomToken = () => randomBytes(32).toString('base64url');

/** Everything the admin actions could change about comment `id`, plus the rules and the log. */
function adminState(id: number) {
  return JSON.stringify([commentRow(id), commentsWhere('parent_id = ?', [id]).length, storedRules(), countRows('moderation_log')]);
}

/** Every admin action with fields that would change comment `id` (or the rules), as form post and RPC. */
function adminRequests(id: number): { label: string; url: string; fields: Record<string, string> }[] {
  const actions: [string, string, Record<string, string>][] = [
    ['admin.moderate', '/admin', { do: `approve:${id}` }],
    ['admin.moderate', '/admin', { bulk: 'trash', ids: String(id) }],
    ['admin.edit', `/admin/comments/${id}`, { id: String(id), name: 'Intruder', website: '', comment: 'changed without a session' }],
    ['admin.reply', `/admin/comments/${id}`, { id: String(id), comment: 'reply without a session' }],
    ['admin.saveRules', '/admin/settings', { maxLinks: '0', maxDepth: '1', holdWords: 'x', blockWords: 'y', closeAfterDays: '1' }],
    ['admin.logout', '/admin/login', {}],
  ];
  return actions.flatMap(([name, page, fields]) => [
    { label: `${name} form post ${JSON.stringify(fields)}`, url: `${origin}${page}?_action=${name}`, fields },
    { label: `POST /_actions/${name} ${JSON.stringify(fields)}`, url: `${origin}/_actions/${name}`, fields },
  ]);
}

test('every /admin page without a session redirects to the login', async ({ page }) => {
  const id = await commentViaHttp(origin, SLUG, { comment: `auth page probe ${unique()}` });
  const secret = commentRow(id)!.body_source;
  for (const path of ['/admin', '/admin/', '/admin?status=spam', '/admin?q=probe', '/admin/settings', '/admin/log', `/admin/comments/${id}`, '/admin/comments/999999999', '/admin/comments/abc', '/admin/nonexistent']) {
    const response = await get(`${origin}${path}`);
    expect(response.status, `GET ${path} redirects`).toBe(302);
    expect(response.headers.get('location'), `GET ${path} redirects to the login`).toBe('/admin/login');
    expect(await response.text(), `GET ${path} shows nothing of the queue`).not.toContain(secret);
  }
  // In a browser too: the login form is where one ends up.
  for (const path of ['/admin', '/admin/settings', '/admin/log', `/admin/comments/${id}`]) {
    await page.goto(path);
    await expect(page, `${path} lands on the login`).toHaveURL(/\/admin\/login$/);
    await expect(page.getByRole('button', { name: 'Log in', exact: true })).toBeVisible();
  }
  await expect(page.getByText(secret)).toHaveCount(0);
});

test('every admin action without a session answers 401 and changes nothing', async () => {
  const id = await commentViaHttp(origin, SLUG, { comment: `auth action probe ${unique()}` });
  const before = adminState(id);
  for (const request of adminRequests(id)) {
    const response = await formPost(request.url, request.fields, { origin });
    expect(response.status, `${request.label}: 401`).toBe(401);
    expect(await response.text(), `${request.label}: says a login is needed`).toContain(LOGIN_REQUIRED);
    expect(adminState(id), `${request.label}: nothing changed`).toBe(before);
  }
  expect(commentRow(id)?.status).toBe('pending');
});

test('a forged, random or tampered aw_session cookie counts as logged out', async () => {
  const id = await commentViaHttp(origin, SLUG, { comment: `auth forged probe ${unique()}` });
  const real = await loginViaHttp(origin, moderator);
  const tampered = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
  const forged = [
    { what: 'a random token of the right shape', value: randomToken() },
    { what: 'a real token with one character changed', value: tampered },
    { what: "the session's database id (SHA-256 of the token)", value: createHash('sha256').update(real).digest('hex') },
    { what: 'the database id in base64url', value: createHash('sha256').update(real).digest('base64url') },
    { what: 'an empty value', value: '' },
    { what: 'a very long value', value: 'A'.repeat(4000) },
    { what: 'SQL', value: `' or '1'='1` },
    { what: 'the real token with padding', value: `${real}=` },
  ];
  const before = adminState(id);
  for (const { what, value } of forged) {
    const page = await get(`${origin}/admin`, value);
    expect(page.status, `${what}: GET /admin redirects to the login`).toBe(302);
    expect(page.headers.get('location')).toBe('/admin/login');
    for (const request of adminRequests(id).filter((r) => !r.label.includes('logout'))) {
      const response = await formPost(request.url, request.fields, { origin, session: value });
      expect(response.status, `${what}: ${request.label} answers 401`).toBe(401);
    }
    expect(adminState(id), `${what}: nothing changed`).toBe(before);
  }
  expect(await sessionIsValid(origin, real), 'the real session still works').toBe(true);
});

test('login issues a new token: a cookie planted before login never becomes the session', async ({ page }) => {
  // The attacker plants a token of their choosing, and also their own valid session of another account.
  const attacker = await newModerator(undefined, 'Attacker');
  for (const planted of [randomToken(), await loginViaHttp(origin, attacker)]) {
    await page.context().clearCookies();
    await page.goto('/admin/login');
    // Planted after the form was served (with a valid planted session, /admin/login would go straight to the queue).
    await page.context().addCookies([{ name: 'aw_session', value: planted, url: origin }]);
    await page.getByLabel('Email', { exact: true }).fill(moderator.email);
    await page.getByLabel('Password', { exact: true }).fill(moderator.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByText(moderator.name), 'logged in as the victim').toBeVisible();
    const token = await browserSessionToken(page);
    expect(token, 'the login set a session cookie').toBeTruthy();
    expect(token, 'the login replaced the planted value').not.toBe(planted);
    expect(await sessionIsValid(origin, token!)).toBe(true);
    // The planted value does not carry the victim's login.
    const withPlanted = await get(`${origin}/admin`, planted);
    if (withPlanted.status === 200) expect(await withPlanted.text(), "the planted session is still the attacker's own, not the victim's").not.toContain(moderator.name);
    else expect(withPlanted.status).toBe(302);
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/login/);
  }
  // Two logins never share a token.
  const a = await loginViaHttp(origin, moderator);
  const b = await loginViaHttp(origin, moderator);
  expect(a).not.toBe(b);
});

test('logout ends the session on the server: the old cookie value no longer works', async ({ page }) => {
  await login(page, moderator.email, moderator.password);
  const token = (await browserSessionToken(page))!;
  expect(sessionStored(token)).toBe(true);
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
  expect(await browserSessionToken(page), 'the browser dropped the cookie').toBeUndefined();
  expect(sessionStored(token), 'the session is gone from the database').toBe(false);

  // Someone who kept a copy of the cookie value gets nothing with it.
  const response = await get(`${origin}/admin`, token);
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('/admin/login');
  const id = await commentViaHttp(origin, SLUG, { comment: `auth logout probe ${unique()}` });
  const action = await formPost(`${origin}/admin?_action=admin.moderate`, { do: `approve:${id}` }, { origin, session: token });
  expect(action.status).toBe(401);
  expect(commentRow(id)?.status).toBe('pending');
  await page.context().addCookies([{ name: 'aw_session', value: token, url: origin }]);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test('the session cookie is HttpOnly, SameSite=Lax, expiring, not Secure over http, and stored only as a hash', async ({ page }) => {
  const response = await formPost(`${origin}/admin/login?_action=admin.login`, { email: moderator.email, password: moderator.password }, { origin });
  expect(response.status).toBe(303);
  const line = response.headers.getSetCookie().find((c) => c.startsWith('aw_session='));
  expect(line, 'Set-Cookie aw_session').toBeTruthy();
  const attributes = line!.split(';').slice(1).map((a) => a.trim().toLowerCase());
  expect(attributes, 'HttpOnly').toContain('httponly');
  expect(attributes, 'SameSite=Lax').toContain('samesite=lax');
  expect(attributes, 'Path=/').toContain('path=/');
  expect(attributes.some((a) => a === 'secure'), 'no Secure over plain http').toBe(false);
  const expires = attributes.find((a) => a.startsWith('expires=')) ?? attributes.find((a) => a.startsWith('max-age='));
  expect(expires, 'the cookie expires').toBeTruthy();

  const token = setCookieValue(response, 'aw_session')!;
  expect(token, 'a long random token (256 bits, base64url)').toMatch(/^[A-Za-z0-9_-]{43,}$/);
  expect(sessionStored(token), 'the database keeps the SHA-256 of the token').toBe(true);
  expect(countRows('sessions')).toBeGreaterThan(0);
  const plain = withDb((db) => (db.prepare('select count(*) as n from sessions where id = ?').get(token) as { n: number }).n);
  expect(plain, 'the token itself is not stored').toBe(0);

  // The browser agrees, and page scripts cannot read it.
  await login(page, moderator.email, moderator.password);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'aw_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
  expect(cookie.expires, 'a persistent cookie with an end').toBeGreaterThan(Date.now() / 1000);
  expect(await page.evaluate(() => document.cookie)).not.toContain('aw_session');
});

test('admin responses carry Cache-Control: no-store', async () => {
  const session = await loginViaHttp(origin, moderator);
  const id = await commentViaHttp(origin, SLUG, { comment: `auth cache probe ${unique()}` });
  const responses: [string, Promise<globalThis.Response>][] = [
    ['GET /admin/login', get(`${origin}/admin/login`)],
    ['GET /admin without a session (redirect)', get(`${origin}/admin`)],
    ['GET /admin', get(`${origin}/admin`, session)],
    ['GET /admin?status=approved', get(`${origin}/admin?status=approved`, session)],
    ['GET /admin/settings', get(`${origin}/admin/settings`, session)],
    ['GET /admin/log', get(`${origin}/admin/log`, session)],
    [`GET /admin/comments/${id}`, get(`${origin}/admin/comments/${id}`, session)],
    ['login form post (sets the session cookie)', formPost(`${origin}/admin/login?_action=admin.login`, { email: moderator.email, password: moderator.password }, { origin })],
    ['failed login form post', formPost(`${origin}/admin/login?_action=admin.login`, { email: moderator.email, password: 'wrong password!!' }, { origin })],
    ['POST /_actions/admin.login (sets the session cookie)', formPost(`${origin}/_actions/admin.login`, { email: moderator.email, password: moderator.password }, { origin })],
    ['admin action without a session (401)', formPost(`${origin}/admin?_action=admin.moderate`, { do: `approve:${id}` }, { origin })],
    ['POST /_actions/admin.moderate', formPost(`${origin}/_actions/admin.moderate`, { do: `unapprove:${id}` }, { origin, session })],
    ['moderate form post', formPost(`${origin}/admin?status=pending&_action=admin.moderate`, { do: `spam:${id}` }, { origin, session })],
  ];
  const seen = await Promise.all(responses.map(async ([label, pending]) => [label, await pending] as const));
  // The failed login above counts towards this client's lock (shared by every spec); a success resets it.
  await loginViaHttp(origin, moderator);
  for (const [label, response] of seen) {
    expect.soft(response.headers.get('cache-control') ?? '(none)', `${label} (${response.status})`).toMatch(/\bno-store\b/);
  }
});

test.describe('login throttling and answers that reveal nothing (own server: its locks must not touch other tests)', () => {
  let server: RunningServer;
  let mods: ModeratorAccount[];

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(90_000);
    // TRUST_PROXY: each request names its client address in X-Forwarded-For, so locks per client and per email can be told apart.
    server = await startServer({ TRUST_PROXY: '1' });
    mods = await Promise.all([1, 2, 3].map((n) => newModerator(server.databasePath, `Throttle ${n}`)));
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  const login = (email: string, password: string, client: string, rpc = false) =>
    formPost(`${server.origin}${rpc ? '/_actions/admin.login' : '/admin/login?_action=admin.login'}`, { email, password }, { origin: server.origin, headers: { 'x-forwarded-for': client } });

  test('after 5 wrong passwords even the right one is refused with "Too many failed attempts", per client and per email', async () => {
    const [victim, neighbour, other] = mods;
    const client = '203.0.113.7';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await login(victim.email, `wrong password ${attempt}`, client);
      expect(response.status, `wrong password #${attempt}`).toBe(401);
      expect(await response.text()).toContain(INVALID);
    }
    const locked = await login(victim.email, victim.password, client);
    expect(locked.status, 'the right password is refused now').toBe(429);
    expect(await locked.text()).toContain(LOCKED);
    expect(setCookieValue(locked, 'aw_session'), 'no session while locked').toBeUndefined();
    const lockedRpc = await login(victim.email, victim.password, client, true);
    expect(lockedRpc.status, 'the RPC path is locked too').toBe(429);
    expect(setCookieValue(lockedRpc, 'aw_session')).toBeUndefined();

    // Per client: the same client cannot log in as someone else either.
    const sameClient = await login(neighbour.email, neighbour.password, client);
    expect(sameClient.status, 'another account from the locked client').toBe(429);
    // Per email: the attacked account is locked from everywhere.
    const elsewhere = await login(victim.email, victim.password, '198.51.100.20');
    expect(elsewhere.status, 'the locked email from another client').toBe(429);
    expect(await elsewhere.text()).toContain(LOCKED);
    // The lock is not global: another account from another client logs in.
    const unrelated = await login(other.email, other.password, '198.51.100.21');
    expect(unrelated.status, 'an unrelated login still works').toBe(303);
    expect(setCookieValue(unrelated, 'aw_session')).toBeTruthy();
  });

  test('a wrong email and a wrong password get the same answer, in about the same time', async () => {
    const known = mods[2];
    const attempts = 4; // below the lock threshold of 5 per email
    const timings = { unknownEmail: [] as number[], wrongPassword: [] as number[] };
    const bodies = { unknownEmail: new Set<string>(), wrongPassword: new Set<string>() };
    const statuses = { unknownEmail: new Set<number>(), wrongPassword: new Set<number>() };
    for (let i = 0; i < attempts; i++) {
      for (const kind of ['unknownEmail', 'wrongPassword'] as const) {
        const email = kind === 'unknownEmail' ? `nobody.${unique()}@example.com` : known.email;
        const started = performance.now();
        const response = await login(email, 'not the password 123', `192.0.2.${10 + i * 2 + (kind === 'unknownEmail' ? 0 : 1)}`);
        const text = await response.text();
        timings[kind].push(performance.now() - started);
        statuses[kind].add(response.status);
        bodies[kind].add(text.split(email).join('<typed email>'));
      }
    }
    expect([...statuses.unknownEmail], 'status for an unknown email').toEqual([401]);
    expect([...statuses.wrongPassword], 'status for a wrong password').toEqual([401]);
    expect(bodies.unknownEmail.size).toBe(1);
    expect([...bodies.wrongPassword], 'the same page (apart from the echoed email) for both').toEqual([...bodies.unknownEmail]);
    expect([...bodies.unknownEmail][0]).toContain(INVALID);

    const rpc = await Promise.all([login(`nobody.${unique()}@example.com`, 'not the password 123', '192.0.2.90', true), login(known.email, 'not the password 123', '192.0.2.91', true)]);
    expect(rpc[0].status).toBe(rpc[1].status);
    expect(await rpc[0].text(), 'the same RPC answer for both').toBe(await rpc[1].text());

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [a, b] = [median(timings.unknownEmail), median(timings.wrongPassword)];
    expect(Math.max(a, b) / Math.min(a, b), `median ms: unknown email ${a.toFixed(1)}, wrong password ${b.toFixed(1)} (both must do the scrypt work)`).toBeLessThan(3);
  });
});
