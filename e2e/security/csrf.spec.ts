import { expect, test, type Page } from '@playwright/test';
import { login, loginViaHttp, type ModeratorAccount, newModerator, sessionIsValid } from '../fixtures/admin';
import { unique } from '../fixtures/comments';
import { commentRow, commentsWhere, countRows, restoreRules, sessionStored, storedRules, withDb } from '../fixtures/db';
import { commentViaHttp, formPost, get, servedToken } from '../fixtures/http';

/**
 * SPEC "Abuse and bad input": cross-site form posts are refused (origin check). Every
 * state-changing action — as a form post to its page (`?_action=`) and on the RPC path
 * (`/_actions/<name>`) — is refused with 403 when the request does not prove it comes from the
 * site itself (cross-site Origin, no Origin and no Referer, cross-site Referer, `Origin: null`,
 * look-alike origins), and the database shows that nothing changed; the same request from the
 * site's own origin works. Admin actions are tried with a valid moderator session, so that the
 * origin check is the only thing standing in the way. Then the attack as a browser runs it: a
 * page on another origin auto-submitting a form while the moderator is logged in. And no GET
 * ever changes anything.
 */

const SLUG = 'on-call-rotation-changes';
const EVIL = 'http://evil.example';
const CROSS_SITE = 'This form was submitted from another site and was refused.';

let origin: string;
let moderator: ModeratorAccount;
let session: string;

test.beforeAll(async ({ baseURL }) => {
  origin = new URL(baseURL!).origin;
  moderator = await newModerator();
  session = await loginViaHttp(origin, moderator);
});

/** Request headers that must all be refused (403). `self` is the site's origin. */
function refusedHeaders(self: string): { what: string; origin?: string; referer?: string }[] {
  const url = new URL(self);
  return [
    { what: 'a cross-site Origin', origin: EVIL, referer: `${EVIL}/attack.html` },
    { what: 'a cross-site Origin with a same-origin Referer', origin: EVIL, referer: `${self}/admin` },
    { what: 'no Origin and no Referer' },
    { what: 'a cross-site Referer and no Origin', referer: `${EVIL}/attack.html` },
    { what: 'Origin: null (sandboxed or privacy-sensitive context)', origin: 'null', referer: `${self}/admin` },
    { what: 'a look-alike origin', origin: `${self}.evil.example` },
    { what: 'the same host on another port (same site, other origin)', origin: `${url.protocol}//${url.hostname}:${Number(url.port) + 1}` },
    { what: 'the same host over https (other origin)', origin: `https://${url.host}` },
  ];
}

/** One attempt at an action: the fields to post, the session to send, and a snapshot of what the action would change. */
interface Attempt {
  fields: Record<string, string>;
  session?: string;
  snapshot(): unknown;
  /** What must be true once the action has worked. */
  worked(before: unknown): void | Promise<void>;
  cleanup?(): void;
}

interface ActionCase {
  name: string;
  /** The page whose form posts to the action. */
  page(attempt: Attempt): string;
  prepare(): Promise<Attempt>;
}

const moderationLogSize = () => countRows('moderation_log');
const sessionsOf = (email: string) =>
  withDb((db) => (db.prepare('select count(*) as n from sessions where moderator_id = (select id from moderators where lower(email) = lower(?))').get(email) as { n: number }).n);

/** A fresh pending comment for an admin action to act on. */
const pendingComment = async () => {
  const id = await commentViaHttp(origin, SLUG, { comment: `csrf target ${unique()}` });
  expect(commentRow(id)?.status).toBe('pending');
  return id;
};

const ACTIONS: ActionCase[] = [
  {
    name: 'comments.submit',
    page: () => `/posts/${SLUG}`,
    async prepare() {
      const marker = `csrf comment ${unique()}`;
      return {
        fields: { post: SLUG, token: (await servedToken(origin, SLUG)).token, name: 'Csrf Reader', email: `csrf.${unique()}@example.com`, comment: marker },
        snapshot: () => commentsWhere('instr(body_source, ?) > 0', [marker]).length,
        worked: () => expect(commentsWhere('instr(body_source, ?) > 0', [marker]), 'the comment was stored').toHaveLength(1),
      };
    },
  },
  {
    name: 'admin.login',
    page: () => '/admin/login',
    async prepare() {
      return {
        fields: { email: moderator.email, password: moderator.password },
        snapshot: () => sessionsOf(moderator.email),
        worked: (before) => expect(sessionsOf(moderator.email), 'a session was created').toBe((before as number) + 1),
      };
    },
  },
  {
    name: 'admin.logout',
    page: () => '/admin/login',
    async prepare() {
      const own = await loginViaHttp(origin, moderator);
      return {
        fields: {},
        session: own,
        snapshot: () => sessionStored(own),
        worked: async () => {
          expect(sessionStored(own), 'the session was ended server-side').toBe(false);
          expect(await sessionIsValid(origin, own)).toBe(false);
        },
      };
    },
  },
  {
    name: 'admin.moderate',
    page: () => '/admin',
    async prepare() {
      const id = await pendingComment();
      return {
        fields: { do: `approve:${id}` },
        session,
        snapshot: () => [commentRow(id)?.status, commentRow(id)?.updated_at, moderationLogSize()],
        worked: () => expect(commentRow(id)?.status, 'the comment was approved').toBe('approved'),
      };
    },
  },
  {
    name: 'admin.edit',
    page: (attempt) => `/admin/comments/${attempt.fields.id}`,
    async prepare() {
      const id = await pendingComment();
      const text = `edited by csrf ${unique()}`;
      return {
        fields: { id: String(id), name: 'Edited Name', website: '', comment: text },
        session,
        snapshot: () => [commentRow(id)?.body_source, commentRow(id)?.author_name, moderationLogSize()],
        worked: () => expect(commentRow(id)?.body_source, 'the comment was edited').toBe(text),
      };
    },
  },
  {
    name: 'admin.reply',
    page: (attempt) => `/admin/comments/${attempt.fields.id}`,
    async prepare() {
      const id = await pendingComment();
      const replies = () => commentsWhere('parent_id = ?', [id]).length;
      return {
        fields: { id: String(id), comment: `reply by csrf ${unique()}` },
        session,
        snapshot: () => [replies(), commentRow(id)?.status, moderationLogSize()],
        worked: () => expect(replies(), 'the reply was stored').toBe(1),
      };
    },
  },
  {
    name: 'admin.saveRules',
    page: () => '/admin/settings',
    async prepare() {
      const original = storedRules();
      const word = `csrfword${unique()}`;
      return {
        fields: { autoApproveKnownAuthors: 'on', maxLinks: '2', closeAfterDays: '', maxDepth: '5', holdWords: word, blockWords: '' },
        session,
        snapshot: () => [storedRules(), moderationLogSize()],
        worked: () => expect(storedRules() ?? '', 'the rules were saved').toContain(word),
        cleanup: () => restoreRules(original),
      };
    },
  },
];

for (const action of ACTIONS) {
  for (const path of ['form', 'rpc'] as const) {
    test(`${action.name} (${path === 'form' ? 'form post to its page' : `POST /_actions/${action.name}`}) is refused from anywhere but the site itself`, async () => {
      const attempt = await action.prepare();
      const url = path === 'form' ? `${origin}${action.page(attempt)}?_action=${action.name}` : `${origin}/_actions/${action.name}`;
      try {
        for (const headers of refusedHeaders(origin)) {
          const before = JSON.stringify(attempt.snapshot());
          const response = await formPost(url, attempt.fields, { origin: headers.origin, referer: headers.referer, session: attempt.session });
          expect(response.status, `${headers.what}: refused with 403`).toBe(403);
          expect(await response.text(), `${headers.what}: the page says why`).toContain(CROSS_SITE);
          expect(response.headers.getSetCookie().filter((c) => c.startsWith('aw_session=')), `${headers.what}: no session cookie handed out`).toEqual([]);
          expect(JSON.stringify(attempt.snapshot()), `${headers.what}: nothing changed`).toBe(before);
        }
        const before = attempt.snapshot();
        const response = await formPost(url, attempt.fields, { origin, session: attempt.session });
        expect(response.status, 'the same request from the site itself works').toBe(path === 'form' ? 303 : 200);
        await attempt.worked(before);
      } finally {
        attempt.cleanup?.();
      }
    });
  }
}

/** Serves `html` at `url` (a page of another origin) for this page only. */
async function serve(page: Page, url: string, html: string): Promise<void> {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
}

/** An attacker's page that posts `fields` to `action` as soon as it loads. */
function autoSubmittingPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`)
    .join('');
  return `<!doctype html><title>Win a prize</title><form id="f" method="post" action="${action}">${inputs}</form><script>document.getElementById('f').submit()</script>`;
}

/** Opens the attacker's page and returns the response the browser got for the form post. */
async function openAttack(page: Page, attackUrl: string, target: string) {
  const posted = page.waitForResponse((r) => r.url().startsWith(target) && r.request().method() === 'POST');
  await page.goto(attackUrl);
  const response = await posted;
  await page.waitForLoadState('domcontentloaded');
  return response;
}

test('a page on another site that auto-submits the comment form is refused and stores nothing', async ({ page }) => {
  const marker = `cross-site comment ${unique()}`;
  const target = `${origin}/posts/${SLUG}?_action=comments.submit`;
  await serve(page, `${EVIL}/comment.html`, autoSubmittingPage(target, { post: SLUG, token: (await servedToken(origin, SLUG)).token, name: 'Victim', email: `victim.${unique()}@example.com`, comment: marker }));
  const response = await openAttack(page, `${EVIL}/comment.html`, target);
  expect((await response.request().allHeaders())['origin'], 'the browser said where the post came from').toBe(EVIL);
  expect(response.status()).toBe(403);
  await expect(page.getByText(CROSS_SITE)).toBeVisible();
  expect(commentsWhere('instr(body_source, ?) > 0', [marker]), 'nothing stored').toEqual([]);
});

for (const attacker of [
  { what: 'another site', url: () => `${EVIL}/queue.html`, cookieSent: false },
  // Same site (localhost), other origin: the SameSite=Lax cookie IS sent, only the origin check stops it.
  { what: 'the same host on another port', url: () => `http://localhost:${Number(new URL(origin).port) + 2}/queue.html`, cookieSent: true },
]) {
  test(`a page on ${attacker.what} that posts admin actions while the moderator is logged in is refused`, async ({ page }) => {
    const attackUrl = attacker.url();
    await login(page, moderator.email, moderator.password);
    const id = await pendingComment();
    for (const [name, fields] of [
      ['admin.moderate', { do: `approve:${id}` }],
      ['admin.edit', { id: String(id), name: 'Pwned', website: '', comment: 'pwned' }],
    ] as const) {
      const target = name === 'admin.moderate' ? `${origin}/admin?_action=${name}` : `${origin}/admin/comments/${id}?_action=${name}`;
      await serve(page, attackUrl, autoSubmittingPage(target, fields));
      const before = JSON.stringify(commentRow(id));
      const response = await openAttack(page, attackUrl, target);
      const cookie = (await response.request().allHeaders())['cookie'] ?? '';
      expect(cookie.includes('aw_session='), `the session cookie ${attacker.cookieSent ? 'is' : 'is not'} sent along (SameSite=Lax)`).toBe(attacker.cookieSent);
      expect(response.status(), `${name} from ${attacker.what} is refused`).toBe(403);
      expect(JSON.stringify(commentRow(id)), `${name}: nothing changed`).toBe(before);
      await page.unroute(attackUrl);
    }
    expect(commentRow(id)?.status).toBe('pending');
    // The moderator is still logged in, and the same action from the site itself works.
    await page.goto(`/admin?status=pending&q=${encodeURIComponent(commentRow(id)!.body_source)}`);
    await page.locator(`#row-${id}`).getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page).toHaveURL(/done=approve/);
    expect(commentRow(id)?.status).toBe('approved');
  });
}

test('no GET request changes anything, whatever action and fields it names', async () => {
  const id = await pendingComment();
  const marker = `get comment ${unique()}`;
  const rulesBefore = storedRules();
  const own = await loginViaHttp(origin, moderator);
  const sessionsBefore = sessionsOf(moderator.email);
  const snapshot = () => JSON.stringify([commentRow(id), commentsWhere('parent_id = ?', [id]).length, storedRules(), countRows('moderation_log')]);
  const before = snapshot();
  const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const requests = [
    `/admin?_action=admin.moderate&${query({ do: `approve:${id}` })}`,
    `/admin?_action=admin.moderate&${query({ bulk: 'trash', ids: String(id) })}`,
    `/_actions/admin.moderate?${query({ do: `approve:${id}` })}`,
    `/admin/comments/${id}?_action=admin.edit&${query({ id: String(id), name: 'Get', website: '', comment: 'changed by GET' })}`,
    `/_actions/admin.edit?${query({ id: String(id), name: 'Get', website: '', comment: 'changed by GET' })}`,
    `/admin/comments/${id}?_action=admin.reply&${query({ id: String(id), comment: 'reply by GET' })}`,
    `/_actions/admin.reply?${query({ id: String(id), comment: 'reply by GET' })}`,
    `/admin/settings?_action=admin.saveRules&${query({ maxLinks: '0', maxDepth: '1', holdWords: 'get', blockWords: 'get' })}`,
    `/_actions/admin.saveRules?${query({ maxLinks: '0', maxDepth: '1', holdWords: 'get', blockWords: 'get' })}`,
    `/admin/login?_action=admin.logout`,
    `/_actions/admin.logout`,
  ];
  for (const path of requests) {
    const response = await get(`${origin}${path}`, own);
    expect(response.status, `GET ${path} does not fail`).toBeLessThan(500);
    expect(snapshot(), `GET ${path} changed nothing`).toBe(before);
    expect(sessionStored(own), `GET ${path} did not end the session`).toBe(true);
  }
  for (const path of [
    `/posts/${SLUG}?_action=comments.submit&${query({ post: SLUG, token: (await servedToken(origin, SLUG)).token, name: 'Get', email: `get.${unique()}@example.com`, comment: marker })}`,
    `/_actions/comments.submit?${query({ post: SLUG, name: 'Get', email: `get.${unique()}@example.com`, comment: marker })}`,
    `/admin/login?_action=admin.login&${query({ email: moderator.email, password: moderator.password })}`,
    `/_actions/admin.login?${query({ email: moderator.email, password: moderator.password })}`,
  ]) {
    const response = await get(`${origin}${path}`);
    expect(response.status, `GET ${path} does not fail`).toBeLessThan(500);
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('aw_session=')), `GET ${path} hands out no session`).toEqual([]);
  }
  expect(commentsWhere('instr(body_source, ?) > 0', [marker]), 'no comment stored by GET').toEqual([]);
  expect(sessionsOf(moderator.email), 'no session created by GET').toBe(sessionsBefore);
  expect(storedRules()).toBe(rulesBefore);
  expect(commentRow(id)?.status).toBe('pending');
});
