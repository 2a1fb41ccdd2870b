import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../fixtures/server';
import { type ModeratorAccount, newModerator } from '../fixtures/admin';
import { formPost, setCookieValue } from '../fixtures/http';

/**
 * SPEC "Security (tightened)": a login attempt is counted atomically before the password is
 * checked; a locked attempt gets 429 with Retry-After; a moderator's own browser (one that has
 * logged in before) is not locked out by strangers guessing at their email. Own server with
 * TRUST_PROXY, so each request can name its client address.
 */

let server: RunningServer;
let mods: ModeratorAccount[];

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(90_000);
  server = await startServer({ TRUST_PROXY: '1' });
  mods = await Promise.all([1, 2, 3].map((n) => newModerator(server.databasePath, `Wave ${n}`)));
});

test.afterAll(async () => {
  await server?.stop();
});

function login(email: string, password: string, client: string, options: { rpc?: boolean; device?: string } = {}) {
  const path = options.rpc ? '/_actions/admin.login' : '/admin/login?_action=admin.login';
  const headers: Record<string, string> = { 'x-forwarded-for': client };
  if (options.device) headers.cookie = `aw_device=${options.device}`;
  return formPost(`${server.origin}${path}`, { email, password }, { origin: server.origin, headers });
}

test('a wave of 29 wrong passwords and the right one, all at once: at most five are checked, the rest get 429 with Retry-After', async () => {
  const victim = mods[0];
  const wave = [
    ...Array.from({ length: 29 }, (_, i) => login(victim.email, `wrong password ${i}`, `203.0.113.${i + 1}`)),
    login(victim.email, victim.password, '203.0.113.200'),
  ];
  const responses = await Promise.all(wave);
  const statuses = responses.map((r) => r.status);
  const checked = statuses.filter((s) => s === 401 || s === 303);
  expect(checked.length, `passwords checked (statuses: ${statuses.join(' ')})`).toBeLessThanOrEqual(5);
  expect(statuses.filter((s) => s === 429).length, 'everything else is refused as locked').toBe(30 - checked.length);
  for (const response of responses.filter((r) => r.status === 429)) {
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter, 'Retry-After in seconds').toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  }
  // However the wave was ordered, the address is locked now: the right password is refused.
  const after = await login(victim.email, victim.password, '198.51.100.77');
  expect(after.status).toBe(429);
  expect(setCookieValue(after, 'aw_session')).toBeUndefined();
});

test('a locked login answers 429 with Retry-After on the form page and on the RPC path', async () => {
  const victim = mods[1];
  for (let i = 0; i < 5; i++) expect((await login(victim.email, `nope ${i}`, '192.0.2.60')).status).toBe(401);
  for (const rpc of [false, true]) {
    const locked = await login(victim.email, victim.password, '192.0.2.61', { rpc });
    expect(locked.status, rpc ? 'RPC' : 'form').toBe(429);
    expect(Number(locked.headers.get('retry-after')), rpc ? 'RPC' : 'form').toBeGreaterThan(800);
    expect(setCookieValue(locked, 'aw_session')).toBeUndefined();
  }
});

test("strangers guessing at a moderator's email do not lock out the browser the moderator logged in with", async () => {
  const owner = mods[2];
  const first = await login(owner.email, owner.password, '192.0.2.80');
  expect(first.status).toBe(303);
  const device = setCookieValue(first, 'aw_device');
  expect(device, 'a device cookie is set at login').toBeTruthy();
  const deviceLine = first.headers.getSetCookie().find((line) => line.startsWith('aw_device='))!;
  expect(deviceLine).toMatch(/HttpOnly/i);
  expect(deviceLine).toMatch(/SameSite=Lax/i);
  expect(deviceLine).toMatch(/Path=\/admin/i);

  // Strangers from many addresses, in parallel: the address is locked for them.
  await Promise.all(Array.from({ length: 12 }, (_, i) => login(owner.email, `guess ${i}`, `198.51.100.${100 + i}`)));
  expect((await login(owner.email, owner.password, '198.51.100.150')).status, 'a stranger with the right password is locked out').toBe(429);

  // The moderator's own browser gets in, from any address, while the lock holds for strangers.
  const own = await login(owner.email, owner.password, '192.0.2.81', { device });
  expect(own.status, "the owner's browser logs in").toBe(303);
  expect(setCookieValue(own, 'aw_session')).toBeTruthy();
  expect((await login(owner.email, owner.password, '198.51.100.151')).status, 'still locked for strangers').toBe(429);

  // A device cookie from another moderator's browser is worth nothing for this address.
  const other = await login(mods[0].email, 'x', '192.0.2.82', { device });
  expect(other.status).toBe(429);
});
