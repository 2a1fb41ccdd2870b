import { expect, test } from '@playwright/test';
import { unique } from '../fixtures/comments';
import { commentRow, countRows, storedRules } from '../fixtures/db';
import { commentViaHttp, rawRequest } from '../fixtures/http';

/**
 * SPEC "Security (tightened)": whether a request is for the moderation area is decided once, on
 * the path the router will route; no spelling of a path (extra slashes, dot segments,
 * backslashes, encoded characters, case) reaches an admin page or action without a session, and
 * non-canonical paths are redirected or refused before any route runs. Requests are sent raw
 * (`http.request`), exactly as spelled: fetch and browsers would normalise some of them away.
 */

const SLUG = 'on-call-rotation-changes';
let origin: string;
let pendingId: number;
let secretText: string;
let secretEmail: string;

test.beforeAll(async ({ baseURL }) => {
  origin = new URL(baseURL!).origin;
  secretText = `path spelling probe ${unique()}`;
  secretEmail = `path.probe.${unique()}@example.com`;
  pendingId = await commentViaHttp(origin, SLUG, { comment: secretText, email: secretEmail });
  expect(commentRow(pendingId)?.status).toBe('pending');
});

/** Ways to write `path` (which starts with /admin or /_actions) that a lax server might route the same. */
function spellings(path: string): string[] {
  const [first, ...rest] = path.slice(1).split('/');
  const tail = rest.length ? `/${rest.join('/')}` : '';
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    `/${path}`,
    `//${path}`,
    `/${first}/${tail}`,
    `/./${first}${tail}`,
    `/x/../${first}${tail}`,
    `/posts/../${first}${tail}`,
    `/%2e%2e/${first}${tail}`,
    `/%2E%2E/${first}${tail}`,
    `/.%2e/${first}${tail}`,
    `/%2e/${first}${tail}`,
    `/x/%2e%2e/${first}${tail}`,
    `/${encodedFirst}${tail}`,
    `/${encodedFirst.toUpperCase()}${tail}`,
    `/${first.slice(0, 2)}%${first.charCodeAt(2).toString(16)}${first.slice(3)}${tail}`,
    `/%25${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`,
    `/${first.toUpperCase()}${tail.toUpperCase()}`,
    `/${first[0].toUpperCase()}${first.slice(1)}${tail}`,
    `\\${first}${tail.replaceAll('/', '\\')}`,
    `/\\${first}${tail}`,
    `/${first}${tail.replaceAll('/', '\\')}`,
    `/${first}${tail.replaceAll('/', '%2F')}`,
    `/${first}${tail.replaceAll('/', '%2f')}`,
    `/${first}${tail.replaceAll('/', '%5C')}`,
    `/%2F${first}${tail}`,
    `/${first}${tail}/.`,
    `/${first}${tail}/./`,
    `/${first}${tail}/x/..`,
    `/${first}%00${tail}`,
    `/${first}%20${tail}`,
    `/${first};x=1${tail}`,
    `http://localhost/${first}${tail}`,
  ];
}

async function follow(path: string, method = 'GET', body?: string, headers: Record<string, string> = {}) {
  const response = await rawRequest({ origin, path, method, body, headers });
  expect(response.status, `${method} ${JSON.stringify(path)} never fails with a server error`).toBeLessThan(500);
  return response;
}

function expectNothingPrivate(path: string, body: string) {
  expect(body, `${JSON.stringify(path)} shows no comment text`).not.toContain(secretText);
  expect(body, `${JSON.stringify(path)} shows no commenter email`).not.toContain(secretEmail);
}

test('no spelling of an admin page shows it without a session', async () => {
  const pages = ['/admin', '/admin/', '/admin/settings', '/admin/log', `/admin/comments/${pendingId}`, '/admin/comments/999999999'];
  for (const page of pages) {
    for (const path of spellings(page)) {
      const response = await follow(path);
      expect(response.status, `GET ${JSON.stringify(path)} is not served`).not.toBe(200);
      expectNothingPrivate(path, response.body);
      if (response.status === 301) {
        // A redirect goes to the canonical spelling, which then asks for a login.
        const location = new URL(String(response.headers.location), origin);
        expect(location.origin, `${JSON.stringify(path)} redirects on this site`).toBe(origin);
        const next = await follow(location.pathname + location.search);
        expect([302, 404], `GET ${location.pathname} (from ${JSON.stringify(path)})`).toContain(next.status);
        if (next.status === 302) expect(next.headers.location).toBe('/admin/login');
        expectNothingPrivate(location.pathname, next.body);
      } else {
        expect([302, 400, 404], `GET ${JSON.stringify(path)} answers a redirect to the login, 400 or 404`).toContain(response.status);
        if (response.status === 302) expect(response.headers.location).toBe('/admin/login');
      }
    }
  }
  // Nothing of the above was cached: the plain queue still asks for a login.
  const queue = await follow('/admin');
  expect(queue.status).toBe(302);
  expect(queue.headers['cache-control'], 'admin answers are never stored').toContain('no-store');
});

test('a safe request in non-canonical form is redirected to the canonical path, keeping the query', async () => {
  const cases: [string, string][] = [
    ['//posts/on-call-rotation-changes', '/posts/on-call-rotation-changes'],
    ['/posts/./on-call-rotation-changes?replyto=1', '/posts/on-call-rotation-changes?replyto=1'],
    ['/tags/x/../../posts/on-call-rotation-changes', '/posts/on-call-rotation-changes'],
    ['/%72ss.xml', '/rss.xml'],
    ['//admin?status=spam', '/admin?status=spam'],
  ];
  for (const [path, location] of cases) {
    const response = await follow(path);
    expect(response.status, path).toBe(301);
    expect(response.headers.location, path).toBe(location);
  }
  for (const path of ['/posts/on-call-rotation-changes%2F..', '/posts\\on-call-rotation-changes', '/a%zz']) {
    expect((await follow(path)).status, path).toBe(400);
  }
});

test('no spelling of an admin action runs it without a session', async () => {
  const before = () => JSON.stringify([commentRow(pendingId), storedRules(), countRows('moderation_log'), countRows('comments')]);
  const state = before();
  const requests: { label: string; path: string; fields: Record<string, string> }[] = [];
  const actions: [string, Record<string, string>][] = [
    ['admin.moderate', { do: `approve:${pendingId}` }],
    ['admin.moderate', { bulk: 'delete', ids: String(pendingId), confirm: 'yes' }],
    ['admin.edit', { id: String(pendingId), name: 'Intruder', website: '', comment: 'changed without a session' }],
    ['admin.reply', { id: String(pendingId), comment: 'reply without a session' }],
    ['admin.saveRules', { maxLinks: '0', maxDepth: '1', holdWords: 'x', blockWords: 'y', closeAfterDays: '1' }],
    // Harmless without a session, but it must not be reached past the middleware either.
    ['admin.logout', {}],
  ];
  for (const [name, fields] of actions) {
    const [group, handler] = name.split('.');
    const encoded = `%${group.charCodeAt(0).toString(16)}${group.slice(1)}.${handler}`;
    const rpcPaths = [
      `/_actions/${name}`,
      `/_actions/${name}/`,
      `/_actions/${name}?_action=comments.submit`,
      `//_actions/${name}`,
      `/_actions//${name}`,
      `/x/../_actions/${name}`,
      `/%5factions/${name}`,
      `/_actions/${encoded}`,
      `/_actions/${group}%2E${handler}`,
      `/_actions/${name.toUpperCase()}`,
    ];
    const formPaths = [
      `/posts/${SLUG}?_action=${name}`,
      `/?_action=${name}`,
      `/admin/login?_action=${name}`,
      `/posts/${SLUG}?_action=${encoded}`,
      `/posts/${SLUG}?_action=${group}%2E${handler}`,
      `/posts/${SLUG}?_action=comments.submit&_action=${name}`,
      `//admin?_action=${name}`,
      `/%61dmin?_action=${name}`,
    ];
    for (const path of [...rpcPaths, ...formPaths]) requests.push({ label: `${name} via ${path}`, path, fields });
  }
  for (const { label, path, fields } of requests) {
    const response = await follow(path, 'POST', new URLSearchParams(fields).toString(), {
      origin,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([400, 401, 403, 404], `${label} is refused (got ${response.status})`).toContain(response.status);
    expectNothingPrivate(path, response.body);
  }
  expect(before(), 'nothing changed').toBe(state);
});

test('action names that are no action of ours get 404, never a server error', async () => {
  for (const name of ['toString', 'constructor', '__proto__', 'admin.__proto__', 'admin.constructor', 'comments.hasOwnProperty', 'admin', 'nothing.here', '%E0%A4%A']) {
    for (const path of [`/_actions/${name}`, `/posts/${SLUG}?_action=${name}`]) {
      const response = await follow(path, 'POST', 'x=1', { origin, 'content-type': 'application/x-www-form-urlencoded' });
      expect([400, 404], `${path} (got ${response.status})`).toContain(response.status);
    }
  }
});
