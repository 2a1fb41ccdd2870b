import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import {
  ACTION_LABELS,
  doneNotice,
  login,
  type ModeratorAccount,
  newModerator,
  openQueue,
  pendingBadge,
  queueRow,
  rowButton,
  statusTab,
  submitLogin,
  tabCount,
} from './fixtures/admin';
import { commentElement, commenter, type CommentFields, postComment, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { en, escapeRegExp, fill, post } from './fixtures/posts';
import { startServer } from './fixtures/server';

/**
 * The moderator's side (SPEC "Moderation"), in a browser: login and its protections, the queue
 * (pending count, approve, unapprove, spam, trash, restore, delete with confirmation, bulk
 * actions, filters), edit and reply, logout, the origin check on actions, the "comment removed"
 * placeholder, the activity log and the rules. The moderator works without JavaScript (the
 * queue must not depend on it); readers are separate browser contexts.
 */

const LOOP_POST = 'number-porting-explained';
const QUEUE_POST = 'on-call-rotation-changes';
const OTHER_POST = 'post-incident-review-template';
const THREAD_POST = 'why-we-publish-incident-reports';
const RULES_POST = 'our-move-to-ipv6';

/** A reader: a fresh browser context (own cookies), closed after the test. */
const test = base.extend<{ newReader: (javaScriptEnabled?: boolean) => Promise<Page> }>({
  newReader: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (javaScriptEnabled = false) => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});

// The moderator's own page: no JavaScript, so everything below proves moderation works without it.
test.use({ javaScriptEnabled: false });
// Many page loads per test (each step checked in every tab and on the public page): room for a slow CI machine.
test.describe.configure({ timeout: 60_000 });

let mod: ModeratorAccount;

test.beforeAll(async () => {
  mod = await newModerator(sharedDatabase(), 'Queue Mod');
});

/** Posts a comment from `reader` on `slug` and returns its id (the reader stays on the post). */
async function postAs(reader: Page, slug: string, fields: CommentFields): Promise<number> {
  await reader.goto(`/posts/${slug}`);
  return postComment(reader, fields);
}

/** Whether a visitor without cookies sees comment `id` on the post. */
async function expectPublic(reader: Page, slug: string, id: number, visible: boolean, text?: string): Promise<void> {
  await reader.goto(`/posts/${slug}`);
  if (!visible) {
    await expect(commentElement(reader, id), `comment ${id} is not public`).toHaveCount(0);
    return;
  }
  await expect(commentElement(reader, id), `comment ${id} is public`).toBeVisible();
  if (text) await expect(commentElement(reader, id)).toContainText(text);
  await expect(commentElement(reader, id)).not.toContainText(en['comments.awaitingBadge']);
}

/** Clicks a row's action button in the current queue view and waits for the "done" notice. */
async function act(page: Page, rowText: string, action: keyof typeof ACTION_LABELS): Promise<void> {
  const row = queueRow(page, rowText);
  await expect(row).toHaveCount(1);
  await rowButton(row, action).click();
  await expect(doneNotice(page, action, 1)).toBeVisible();
  await expect(queueRow(page, rowText), 'the row left this tab').toHaveCount(0);
}

/** The comment shows up in exactly the tab `status` when searching for `text`; ends on that tab. */
async function expectOnlyIn(page: Page, status: 'pending' | 'approved' | 'spam' | 'trash', text: string): Promise<void> {
  const others = (['pending', 'approved', 'spam', 'trash'] as const).filter((tab) => tab !== status);
  for (const tab of [...others, status]) {
    await openQueue(page, tab, text);
    await expect(queueRow(page, text), `${tab} tab ${tab === status ? 'lists' : 'does not list'} it`).toHaveCount(tab === status ? 1 : 0);
  }
}

const lockedPattern = new RegExp(`^${escapeRegExp(en['admin.login.locked']).replace('\\{minutes\\}', '\\d+')}$`);

test.describe('access', () => {
  test('admin pages without a session redirect to /admin/login', async ({ page, request, baseURL }) => {
    for (const path of ['/admin', '/admin?status=spam', '/admin/settings', '/admin/log', '/admin/comments/1']) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect([302, 303, 307], `${path} redirects`).toContain(response.status());
      expect(new URL(response.headers().location, baseURL).pathname, `${path} redirects to the login`).toBe('/admin/login');

      await page.goto(path);
      await expect(page).toHaveURL(/\/admin\/login$/);
      await expect(page.getByRole('heading', { level: 1, name: en['admin.login.title'] })).toBeVisible();
      await expect(page.getByRole('button', { name: en['admin.logout'] })).toHaveCount(0);
      await expect(page.getByRole('navigation', { name: en['admin.tabs'] })).toHaveCount(0);
    }
  });

  test('every admin action posted without a session answers 401 and changes nothing', async ({ page, request, newReader, baseURL }) => {
    const marker = unique('noauth-');
    const text = `Unauthenticated ${marker}: is this still pending?`;
    const who = commenter('Noauth');
    const reader = await newReader();
    const id = await postAs(reader, QUEUE_POST, { ...who, comment: text });
    const blockWord = unique('forgedblock');

    const attempts: { action: string; page: string; form: Record<string, string> }[] = [
      { action: 'admin.moderate', page: '/admin', form: { do: `approve:${id}` } },
      { action: 'admin.moderate', page: '/admin', form: { do: `spam:${id}` } },
      { action: 'admin.moderate', page: '/admin', form: { bulk: 'trash', ids: String(id) } },
      { action: 'admin.moderate', page: '/admin', form: { bulk: 'delete', ids: String(id), confirm: 'yes' } },
      { action: 'admin.edit', page: `/admin/comments/${id}`, form: { id: String(id), name: 'Forged', comment: `forged edit ${marker}` } },
      { action: 'admin.reply', page: `/admin/comments/${id}`, form: { id: String(id), comment: `forged reply ${marker}` } },
      {
        action: 'admin.saveRules',
        page: '/admin/settings',
        form: { maxLinks: '0', maxDepth: '1', closeAfterDays: '1', holdWords: '', blockWords: blockWord },
      },
      { action: 'admin.logout', page: '/admin/login', form: { x: '1' } },
    ];
    const origin = new URL(baseURL!).origin;
    for (const attempt of attempts) {
      // Same-origin (so the origin check passes): only the missing session stops them.
      for (const url of [`${attempt.page}?_action=${attempt.action}`, `/_actions/${attempt.action}`]) {
        for (const cookie of [undefined, `aw_session=${'A'.repeat(43)}`]) {
          const response = await request.post(url, {
            form: attempt.form,
            headers: { Origin: origin, ...(cookie ? { Cookie: cookie } : {}) },
            maxRedirects: 0,
          });
          expect(response.status(), `${url} ${JSON.stringify(attempt.form)}${cookie ? ' with a forged session cookie' : ''}`).toBe(401);
        }
      }
    }

    // Nothing changed: still pending, same author and text, no reply, rules untouched, nothing logged.
    await expectPublic(await newReader(), QUEUE_POST, id, false);
    await expect(commentElement(reader, id)).toContainText(text);
    await reader.reload();
    await expect(commentElement(reader, id)).toContainText(en['comments.awaiting']);
    await expect(reader.getByText(`forged reply ${marker}`)).toHaveCount(0);

    await login(page, mod.email, mod.password);
    await expectOnlyIn(page, 'pending', text);
    await expect(queueRow(page, text)).toContainText(who.name);
    for (const tab of ['pending', 'approved', 'spam', 'trash'] as const) {
      await openQueue(page, tab, `forged reply ${marker}`);
      await expect(page.getByText(en['admin.queue.empty'])).toBeVisible();
    }
    await page.goto(`/admin/comments/${id}`);
    const editForm = page.getByRole('region', { name: en['admin.edit.editTitle'] });
    await expect(editForm.getByLabel(en['form.comment'], { exact: true })).toHaveValue(text);
    await expect(editForm.getByLabel(en['form.name'], { exact: true })).toHaveValue(who.name);
    await expect(page.getByRole('heading', { name: en['admin.edit.history'] })).toHaveCount(0);
    await page.goto('/admin/settings');
    await expect(page.getByLabel(en['admin.rules.blockWords'])).not.toHaveValue(new RegExp(blockWord));
    await expect(page.getByLabel(en['admin.rules.maxDepth'])).not.toHaveValue('1');
    await page.goto('/admin/log');
    await expect(page.getByRole('link', { name: `#${id}`, exact: true })).toHaveCount(0);
  });

  test('wrong credentials get one generic message; a login sets an HttpOnly, SameSite=Lax session cookie', async ({ page, context }) => {
    const wrongPassword = await submitLogin(page, mod.email, 'not-the-right-password');
    expect(wrongPassword.status()).toBe(401);
    await expect(page.getByRole('alert')).toHaveText(en['admin.login.invalid']);
    const unknownEmail = await submitLogin(page, `nobody.${unique()}@example.com`, mod.password);
    expect(unknownEmail.status()).toBe(401);
    await expect(page.getByRole('alert'), 'an unknown email gets exactly the same message').toHaveText(en['admin.login.invalid']);
    expect((await context.cookies()).filter((c) => c.name === 'aw_session')).toEqual([]);
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/admin\/login$/);

    const ok = await submitLogin(page, mod.email, mod.password);
    expect(ok.status()).toBe(303);
    await expect(page).toHaveURL(/\/admin$/);
    const setCookie = (await ok.headersArray())
      .filter((h) => h.name.toLowerCase() === 'set-cookie')
      .map((h) => h.value)
      .find((v) => v.startsWith('aw_session='));
    expect(setCookie, 'the login sets the session cookie').toBeTruthy();
    expect(setCookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(setCookie, 'the session expires').toMatch(/;\s*(Expires|Max-Age)=/i);

    const [cookie] = (await context.cookies()).filter((c) => c.name === 'aw_session');
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.expires, 'not a browser-session cookie that never expires server-side').toBeGreaterThan(Date.now() / 1000);
    expect(cookie.value, 'the token is not the email or the password').not.toContain(mod.email);
    expect(cookie.value).not.toContain(mod.password);
    await expect(page.getByText(mod.name)).toBeVisible();
  });

  test('repeated failed logins lock the login ("Too many failed attempts"), even for the right password', async ({ page, context }) => {
    test.setTimeout(90_000);
    // Its own server: the lock is per client address and would lock every other test out.
    const server = await startServer();
    try {
      const account = await newModerator(server.databasePath, 'Lock Mod');
      let lockedAfter: number | undefined;
      for (let attempt = 1; attempt <= 10 && lockedAfter === undefined; attempt++) {
        const response = await submitLogin(page, account.email, `wrong-password-${attempt}`, server.origin);
        const alert = (await page.getByRole('alert').innerText()).trim();
        if (lockedPattern.test(alert)) {
          expect(response.status()).toBe(429);
          lockedAfter = attempt;
        } else {
          expect(response.status()).toBe(401);
          expect(alert).toBe(en['admin.login.invalid']);
        }
      }
      expect(lockedAfter, 'the login locks within 10 failed attempts').toBeDefined();
      expect(lockedAfter!, 'a few typos do not lock').toBeGreaterThan(2);

      const right = await submitLogin(page, account.email, account.password, server.origin);
      expect(right.status(), 'the right password is refused while locked').toBe(429);
      await expect(page.getByRole('alert')).toHaveText(lockedPattern);
      await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
      expect((await context.cookies(server.origin)).filter((c) => c.name === 'aw_session')).toEqual([]);
      await page.goto(`${server.origin}/admin`);
      await expect(page).toHaveURL(`${server.origin}/admin/login`);
    } finally {
      await server.stop();
    }
  });

  test('logging out ends access, and the old session token stays revoked', async ({ page, context, request, baseURL }) => {
    await login(page, mod.email, mod.password);
    const [session] = (await context.cookies()).filter((c) => c.name === 'aw_session');
    expect(session).toBeTruthy();

    await page.getByRole('button', { name: en['admin.logout'], exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/login\?loggedout=1$/);
    await expect(page.getByRole('status')).toHaveText(en['admin.loggedOut']);
    expect((await context.cookies()).filter((c) => c.name === 'aw_session')).toEqual([]);
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/admin\/login$/);

    // Replaying the old cookie does not bring the session back: it was revoked server-side.
    await context.addCookies([session]);
    await page.goto('/admin/log');
    await expect(page).toHaveURL(/\/admin\/login$/);
    const origin = new URL(baseURL!).origin;
    const replay = await request.post('/admin?_action=admin.moderate', {
      form: { bulk: 'approve', ids: '1' },
      headers: { Origin: origin, Cookie: `aw_session=${session.value}` },
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(401);
  });

  test('a cross-origin POST to an admin action is refused, even with a valid session', async ({ page, newReader, baseURL }) => {
    const marker = unique('xorigin-');
    const text = `Cross-origin ${marker}`;
    const id = await postAs(await newReader(), QUEUE_POST, { ...commenter('Xorigin'), comment: text });
    await login(page, mod.email, mod.password);
    const origin = new URL(baseURL!).origin;

    const forged: { what: string; headers: Record<string, string> }[] = [
      { what: 'Origin of another site', headers: { Origin: 'https://evil.example' } },
      { what: 'Origin of another port', headers: { Origin: 'http://localhost:1' } },
      { what: 'Origin "null"', headers: { Origin: 'null' } },
      { what: 'only a Referer of another site', headers: { Referer: 'https://evil.example/attack.html' } },
      { what: 'neither Origin nor Referer', headers: {} },
    ];
    for (const { what, headers } of forged) {
      for (const url of ['/admin?_action=admin.moderate', '/_actions/admin.moderate']) {
        // page.request shares the logged-in context's cookies.
        const response = await page.request.post(url, { form: { do: `approve:${id}` }, headers, maxRedirects: 0 });
        expect(response.status(), `${url} with ${what}`).toBe(403);
      }
    }
    await expectOnlyIn(page, 'pending', text);

    // The same request from the site itself works: the refusal was the origin check.
    const own = await page.request.post(`/admin?status=pending&_action=admin.moderate`, {
      form: { do: `approve:${id}` },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(own.status()).toBe(303);
    await expectOnlyIn(page, 'approved', text);
  });
});

test.describe('the queue', () => {
  for (const js of [false, true]) {
    test(`the whole loop: a reader posts, the moderator sees it pending with the count and approves it, another reader sees it (JavaScript ${js ? 'on' : 'off'})`, async ({
      browser,
      baseURL,
      newReader,
    }) => {
      const moderatorContext = await browser.newContext({ baseURL, javaScriptEnabled: js });
      try {
        const modPage = await moderatorContext.newPage();
        await login(modPage, mod.email, mod.password);
        const pendingBefore = await tabCount(modPage, 'pending');
        const approvedBefore = await tabCount(modPage, 'approved');
        await expect(pendingBadge(modPage)).toHaveText(fill(en['admin.pendingBadge'], { count: pendingBefore }));

        const marker = unique('loop-');
        const who = commenter('Loop');
        const website = `https://example.org/${marker}`;
        const text = `Loop ${marker}: did the port-out freeze apply to toll-free numbers too?`;
        const author = await newReader(js);
        const other = await newReader(js);
        const id = await postAs(author, LOOP_POST, { ...who, website, comment: text });
        await expect(commentElement(author, id)).toContainText(text);
        await expect(commentElement(author, id)).toContainText(en['comments.awaiting']);
        await expectPublic(other, LOOP_POST, id, false);

        await modPage.goto('/admin');
        await expect(statusTab(modPage, 'pending')).toHaveText(`${en['admin.status.pending']} (${pendingBefore + 1})`);
        await expect(pendingBadge(modPage)).toHaveText(fill(en['admin.pendingBadge'], { count: pendingBefore + 1 }));
        const row = queueRow(modPage, text);
        await expect(row).toHaveCount(1);
        await expect(row).toContainText(who.name);
        await expect(row.getByRole('link', { name: who.email, exact: true })).toBeVisible();
        await expect(row.getByRole('link', { name: website, exact: true })).toBeVisible();
        await expect(row.getByRole('link', { name: post(LOOP_POST).title, exact: true })).toBeVisible();
        await expect(row.locator('time[datetime]')).toHaveCount(1);

        await rowButton(row, 'approve').click();
        await expect(doneNotice(modPage, 'approve', 1)).toBeVisible();
        await expect(queueRow(modPage, text)).toHaveCount(0);
        await expect(statusTab(modPage, 'pending')).toHaveText(`${en['admin.status.pending']} (${pendingBefore})`);
        await expect(statusTab(modPage, 'approved')).toHaveText(`${en['admin.status.approved']} (${approvedBefore + 1})`);
        await expect(pendingBadge(modPage)).toHaveText(fill(en['admin.pendingBadge'], { count: pendingBefore }));

        await expectPublic(other, LOOP_POST, id, true, text);
        await expect(commentElement(other, id)).toContainText(who.name);
        await author.reload();
        await expect(commentElement(author, id)).not.toContainText(en['comments.awaitingBadge']);
      } finally {
        await moderatorContext.close();
      }
    });
  }

  test('spam, trash, restore, unapprove and delete permanently (which asks for confirmation first)', async ({ page, newReader }) => {
    const marker = unique('lifecycle-');
    const text = `Lifecycle ${marker}`;
    const who = commenter('Cycle');
    const id = await postAs(await newReader(), QUEUE_POST, { ...who, comment: text });
    const visitor = await newReader();
    await login(page, mod.email, mod.password);

    await openQueue(page, 'pending', marker);
    for (const action of ['approve', 'spam', 'trash'] as const) await expect(rowButton(queueRow(page, text), action)).toBeVisible();
    await expect(rowButton(queueRow(page, text), 'restore')).toHaveCount(0);
    await act(page, text, 'approve');
    await expectPublic(visitor, QUEUE_POST, id, true, text);

    // Approved → Spam → Restore: back where it was (approved).
    await openQueue(page, 'approved', marker);
    await expect(rowButton(queueRow(page, text), 'approve')).toHaveCount(0);
    await act(page, text, 'spam');
    await expectOnlyIn(page, 'spam', text);
    await expectPublic(visitor, QUEUE_POST, id, false);
    await act(page, text, 'restore');
    await expectOnlyIn(page, 'approved', text);
    await expectPublic(visitor, QUEUE_POST, id, true, text);

    // Approved → Trash → Restore.
    await act(page, text, 'trash');
    await expectOnlyIn(page, 'trash', text);
    await expectPublic(visitor, QUEUE_POST, id, false);
    await act(page, text, 'restore');
    await expectOnlyIn(page, 'approved', text);
    await expectPublic(visitor, QUEUE_POST, id, true, text);

    // Unapprove: back to pending, off the public page.
    await act(page, text, 'unapprove');
    await expectOnlyIn(page, 'pending', text);
    await expectPublic(visitor, QUEUE_POST, id, false);

    // Delete permanently asks first; cancelling keeps the comment.
    const dialog = page.getByRole('alertdialog', { name: en['admin.confirmDelete.title'] });
    await rowButton(queueRow(page, text), 'delete').click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(en['admin.confirmDelete.text.one']);
    await dialog.getByRole('link', { name: en['admin.confirmDelete.cancel'] }).click();
    await expect(dialog).toHaveCount(0);
    await expectOnlyIn(page, 'pending', text);

    await rowButton(queueRow(page, text), 'delete').click();
    await expect(dialog).toBeVisible();
    await expectOnlyIn(page, 'pending', text); // asking did not delete it
    await openQueue(page, 'pending', marker);
    await rowButton(queueRow(page, text), 'delete').click();
    await dialog.getByRole('button', { name: en['admin.action.delete'], exact: true }).click();
    await expect(doneNotice(page, 'delete', 1)).toBeVisible();
    for (const tab of ['pending', 'approved', 'spam', 'trash'] as const) {
      await openQueue(page, tab, marker);
      await expect(page.getByText(en['admin.queue.empty']), `deleted: not in ${tab}`).toBeVisible();
    }
    const gone = await page.goto(`/admin/comments/${id}`);
    expect(gone?.status()).toBe(404);
    await expectPublic(visitor, QUEUE_POST, id, false);
  });

  test('bulk approve applies to the selected rows only', async ({ page, newReader }) => {
    const marker = unique('bulk-');
    const reader = await newReader();
    const texts = [1, 2, 3].map((n) => `Bulk ${n} ${marker}`);
    const ids: number[] = [];
    for (const text of texts) ids.push(await postAs(reader, QUEUE_POST, { ...commenter('Bulk'), comment: text }));
    await login(page, mod.email, mod.password);
    await openQueue(page, 'pending', marker);
    await expect(page.getByText(fill(en['admin.queue.total.other'], { count: 3 }), { exact: true })).toBeVisible();

    // Nothing selected: a clear message, nothing changes.
    await page.getByLabel(en['admin.queue.bulkLabel']).selectOption({ label: en['admin.action.approve'] });
    await page.getByRole('button', { name: en['admin.queue.bulkApply'], exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText(en['admin.error.noSelection']);
    await openQueue(page, 'pending', marker);
    for (const text of texts) await expect(queueRow(page, text)).toHaveCount(1);

    await page.getByRole('checkbox', { name: `${en['admin.queue.select']} #${ids[0]}` }).check();
    await page.getByRole('checkbox', { name: `${en['admin.queue.select']} #${ids[2]}` }).check();
    await page.getByLabel(en['admin.queue.bulkLabel']).selectOption({ label: en['admin.action.approve'] });
    await page.getByRole('button', { name: en['admin.queue.bulkApply'], exact: true }).click();
    await expect(doneNotice(page, 'approve', 2)).toBeVisible();
    await expect(queueRow(page, texts[0])).toHaveCount(0);
    await expect(queueRow(page, texts[1])).toHaveCount(1);
    await expect(queueRow(page, texts[2])).toHaveCount(0);

    const visitor = await newReader();
    await visitor.goto(`/posts/${QUEUE_POST}`);
    await expect(commentElement(visitor, ids[0])).toContainText(texts[0]);
    await expect(commentElement(visitor, ids[1])).toHaveCount(0);
    await expect(commentElement(visitor, ids[2])).toContainText(texts[2]);
  });

  test.describe('with JavaScript', () => {
    test.use({ javaScriptEnabled: true });

    test('keyboard shortcuts: j/k move between rows, a approves, s marks spam; "select all" selects every row', async ({ page, newReader }) => {
      const marker = unique('keys-');
      const reader = await newReader();
      const texts = [1, 2, 3].map((n) => `Keys ${n} ${marker}`);
      const ids: number[] = [];
      for (const text of texts) ids.push(await postAs(reader, QUEUE_POST, { ...commenter('Keys'), comment: text }));
      await login(page, mod.email, mod.password);
      await openQueue(page, 'pending', marker);

      const selectAll = page.getByRole('checkbox', { name: en['admin.queue.selectAll'] });
      await selectAll.check();
      for (const id of ids) await expect(page.getByRole('checkbox', { name: `${en['admin.queue.select']} #${id}` })).toBeChecked();
      await selectAll.uncheck();

      // Newest first: j lands on the newest row (text 3), j again on text 2, k back to text 3.
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      await page.keyboard.press('a');
      await expect(doneNotice(page, 'approve', 1)).toBeVisible();
      await expect(queueRow(page, texts[2])).toHaveCount(0);
      await page.keyboard.press('j');
      await page.keyboard.press('s');
      await expect(doneNotice(page, 'spam', 1)).toBeVisible();
      await expect(queueRow(page, texts[1])).toHaveCount(0);
      await expect(queueRow(page, texts[0])).toHaveCount(1);
    });
  });

  test('filter by post and text search (author, email or text)', async ({ page, newReader }) => {
    const marker = unique('filter-');
    const reader = await newReader();
    const a = { ...commenter('FilterA'), comment: `On-call question ${marker}` };
    const b = { ...commenter('FilterB'), comment: `Template question ${marker}` };
    await postAs(reader, QUEUE_POST, a);
    await postAs(reader, OTHER_POST, b);
    await login(page, mod.email, mod.password);

    const filters = page.getByRole('search');
    await filters.getByLabel(en['admin.filter.post'], { exact: true }).selectOption({ label: post(QUEUE_POST).title });
    await filters.getByLabel(en['admin.filter.search'], { exact: true }).fill(marker);
    await filters.getByRole('button', { name: en['admin.filter.apply'], exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]post=${QUEUE_POST}(&|$)`));
    await expect(queueRow(page, a.comment)).toHaveCount(1);
    await expect(queueRow(page, b.comment)).toHaveCount(0);
    await expect(page.getByText(en['admin.queue.total.one'], { exact: true })).toBeVisible();

    await filters.getByLabel(en['admin.filter.post'], { exact: true }).selectOption({ label: en['admin.filter.allPosts'] });
    await filters.getByRole('button', { name: en['admin.filter.apply'], exact: true }).click();
    await expect(queueRow(page, a.comment)).toHaveCount(1);
    await expect(queueRow(page, b.comment)).toHaveCount(1);
    await expect(page.getByText(fill(en['admin.queue.total.other'], { count: 2 }), { exact: true })).toBeVisible();

    for (const [query, expected] of [
      [b.email, b],
      [a.name, a],
    ] as const) {
      await filters.getByLabel(en['admin.filter.search'], { exact: true }).fill(query);
      await filters.getByRole('button', { name: en['admin.filter.apply'], exact: true }).click();
      await expect(queueRow(page, expected.comment), `search for ${query}`).toHaveCount(1);
      await expect(queueRow(page, expected === a ? b.comment : a.comment)).toHaveCount(0);
    }

    // A search that matches nothing says so; the filters are kept in the form.
    await filters.getByLabel(en['admin.filter.search'], { exact: true }).fill(`${marker}-nothing`);
    await filters.getByRole('button', { name: en['admin.filter.apply'], exact: true }).click();
    await expect(page.getByText(en['admin.queue.empty'])).toBeVisible();
    await expect(filters.getByLabel(en['admin.filter.search'], { exact: true })).toHaveValue(`${marker}-nothing`);
  });
});

test.describe('edit and reply', () => {
  test('a moderator reply is published at once, nested under the comment and marked as from the site', async ({ page, newReader }) => {
    const marker = unique('reply-');
    const text = `Reply wanted ${marker}: will the postmortem template get a timeline section?`;
    const asker = commenter('Asker');
    const parentId = await postAs(await newReader(), OTHER_POST, { ...asker, comment: text });
    await login(page, mod.email, mod.password);
    await openQueue(page, 'pending', marker);
    await act(page, text, 'approve');

    await openQueue(page, 'approved', marker);
    await queueRow(page, text).getByRole('link', { name: en['admin.action.reply'], exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/comments/${parentId}#reply$`));
    const replyText = `Yes, from the next review on ${marker}.`;
    const replyForm = page.getByRole('region', { name: fill(en['admin.edit.replyTitle'], { name: mod.name }) });
    await replyForm.getByLabel(en['form.comment'], { exact: true }).fill(replyText);
    await replyForm.getByRole('button', { name: en['admin.edit.replySubmit'], exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(en['admin.done.reply']);

    // Public at once, for a visitor without cookies: inside the parent, with the moderator's name and the site badge.
    const visitor = await newReader();
    await visitor.goto(`/posts/${OTHER_POST}`);
    const reply = commentElement(visitor, parentId).locator('[id^="comment-"]').filter({ hasText: replyText });
    await expect(reply).toHaveCount(1);
    await expect(reply).toContainText(mod.name);
    await expect(reply).toContainText(en['comments.fromSite']);
    await expect(reply).not.toContainText(en['comments.awaitingBadge']);
    await expect(visitor.locator('body')).not.toContainText(mod.email);

    // Not waiting in the queue; listed as approved, marked as from the site.
    await openQueue(page, 'pending', replyText);
    await expect(queueRow(page, replyText)).toHaveCount(0);
    await openQueue(page, 'approved', replyText);
    await expect(queueRow(page, replyText)).toContainText(en['admin.queue.fromSite']);
    await expect(queueRow(page, replyText)).toContainText(fill(en['admin.queue.inReplyTo'], { name: asker.name }));
  });

  test('a refused reply comes back in the reply form as typed; the edit form keeps the stored comment', async ({ page, newReader }) => {
    const marker = unique('refused-reply-');
    const text = `Stored text ${marker}`;
    const id = await postAs(await newReader(), OTHER_POST, { ...commenter('Answered'), comment: text });
    await login(page, mod.email, mod.password);
    await page.goto(`/admin/comments/${id}`);
    // Longer than a comment may be, so the reply is refused; both forms have a comment field.
    const tooLong = `Too long ${marker} ${'x'.repeat(10_000)}`;
    const replyForm = page.getByRole('region', { name: fill(en['admin.edit.replyTitle'], { name: mod.name }) });
    await replyForm.getByLabel(en['form.comment'], { exact: true }).fill(tooLong);
    await replyForm.getByRole('button', { name: en['admin.edit.replySubmit'], exact: true }).click();
    await expect(replyForm.getByText(en['form.error.body.tooLong'])).toBeVisible();
    await expect(replyForm.getByLabel(en['form.comment'], { exact: true })).toHaveValue(tooLong);
    const editForm = page.getByRole('region', { name: en['admin.edit.editTitle'] });
    await expect(editForm.getByLabel(en['form.comment'], { exact: true })).toHaveValue(text);
  });

  test('Edit re-sanitises: a <script> typed into the body shows as text', async ({ page, newReader }) => {
    const marker = unique('edit-');
    const text = `Before edit ${marker}`;
    const id = await postAs(await newReader(), OTHER_POST, { ...commenter('Edited'), comment: text });
    await login(page, mod.email, mod.password);
    await openQueue(page, 'pending', marker);
    await queueRow(page, text).getByRole('link', { name: en['admin.action.edit'], exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/comments/${id}$`));

    const script = '<script>window.__pwned = 1</script>';
    const edited = `After edit ${marker} ${script} <img src=x onerror="window.__pwned = 2">`;
    const newName = `Renamed ${marker}`;
    const editForm = page.getByRole('region', { name: en['admin.edit.editTitle'] });
    await editForm.getByLabel(en['form.name'], { exact: true }).fill(newName);
    await editForm.getByLabel(en['form.comment'], { exact: true }).fill(edited);
    await editForm.getByRole('button', { name: en['admin.edit.save'], exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(en['admin.done.edit']);
    await expect(editForm.getByLabel(en['form.comment'], { exact: true }), 'the source is kept as typed').toHaveValue(edited);

    await openQueue(page, 'pending', marker);
    const row = queueRow(page, `After edit ${marker}`);
    await expect(row).toContainText(script);
    await expect(row).toContainText(newName);
    await expect(row.locator('script, img')).toHaveCount(0);
    await act(page, `After edit ${marker}`, 'approve');

    const visitor = await newReader(true);
    await visitor.goto(`/posts/${OTHER_POST}`);
    const element = commentElement(visitor, id);
    await expect(element).toContainText(`After edit ${marker}`);
    await expect(element).toContainText(script);
    await expect(element).toContainText(newName);
    await expect(element).not.toContainText(text);
    await expect(element.locator('script')).toHaveCount(0);
    await expect(element.locator('[onerror]')).toHaveCount(0);
    expect(await visitor.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

test.describe('threads and the record', () => {
  test('a trashed or spammed comment with an approved reply leaves "comment removed"; the reply stays', async ({ page, newReader }) => {
    const marker = unique('removed-');
    const parent = { ...commenter('Parent'), comment: `Parent ${marker}: first!` };
    const child = { ...commenter('Child'), comment: `Child ${marker}: a real answer` };
    const parentId = await postAs(await newReader(), THREAD_POST, parent);
    await login(page, mod.email, mod.password);
    await openQueue(page, 'pending', marker);
    await act(page, parent.comment, 'approve');

    const replier = await newReader();
    await replier.goto(`/posts/${THREAD_POST}?replyto=${parentId}#respond`);
    const childId = await postComment(replier, child);
    await openQueue(page, 'pending', marker);
    await expect(queueRow(page, child.comment)).toContainText(parent.name);
    await act(page, child.comment, 'approve');

    const visitor = await newReader();
    for (const action of ['trash', 'spam'] as const) {
      await openQueue(page, 'approved', parent.comment);
      await act(page, parent.comment, action);
      await visitor.goto(`/posts/${THREAD_POST}`);
      const removed = commentElement(visitor, parentId);
      await expect(removed, `after ${action}`).toContainText(en['comments.removed']);
      await expect(removed).not.toContainText(parent.comment);
      await expect(removed).not.toContainText(parent.name);
      await expect(removed.getByRole('link', { name: en['comments.reply'], exact: true })).toHaveCount(1); // the child's only
      await expect(removed.locator(`#comment-${childId}`)).toContainText(child.comment);
      await expect(removed.locator(`#comment-${childId}`)).toContainText(child.name);

      await openQueue(page, action, parent.comment);
      await act(page, parent.comment, 'restore');
      await visitor.goto(`/posts/${THREAD_POST}`);
      await expect(commentElement(visitor, parentId)).toContainText(parent.comment);
      await expect(commentElement(visitor, parentId)).not.toContainText(en['comments.removed']);
    }
  });

  test("the activity log lists each action with the moderator's name", async ({ page, newReader }) => {
    const logger = await newModerator(sharedDatabase(), 'Log Keeper');
    const marker = unique('log-');
    const text = `Logged ${marker}`;
    const id = await postAs(await newReader(), QUEUE_POST, { ...commenter('Logged'), comment: text });
    await login(page, logger.email, logger.password);
    await openQueue(page, 'pending', marker);
    await act(page, text, 'approve');
    await openQueue(page, 'approved', marker);
    await act(page, text, 'trash');

    await page.getByRole('link', { name: en['admin.nav.log'], exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: en['admin.log.title'] })).toBeVisible();
    const rows = page.getByRole('row').filter({ has: page.getByRole('link', { name: `#${id}`, exact: true }) });
    await expect(rows).toHaveCount(2);
    for (const action of ['approve', 'trash']) {
      // The action as the log names it (a translated label where there is one).
      const label = (en as Record<string, string>)[`admin.log.action.${action}`] ?? action;
      const row = rows.filter({ has: page.getByRole('cell', { name: label, exact: true }) });
      await expect(row, `a "${label}" entry`).toHaveCount(1);
      await expect(row.getByRole('cell', { name: logger.name, exact: true })).toBeVisible();
      await expect(row.locator('time[datetime]')).toHaveCount(1);
    }
    // The comment's own page shows the same history.
    await rows.first().getByRole('link', { name: `#${id}`, exact: true }).click();
    const history = page.getByRole('region', { name: en['admin.edit.history'] });
    await expect(history.getByRole('listitem')).toHaveCount(2);
    await expect(history.getByRole('listitem').filter({ hasText: logger.name })).toHaveCount(2);
  });
});

test.describe('rules', () => {
  /** Saves the word lists on the rules page, leaving every other rule as it is. */
  async function saveWords(page: Page, words: { holdWords?: string; blockWords?: string }): Promise<void> {
    await page.goto('/admin/settings');
    if (words.holdWords !== undefined) await page.getByLabel(en['admin.rules.holdWords']).fill(words.holdWords);
    if (words.blockWords !== undefined) await page.getByLabel(en['admin.rules.blockWords']).fill(words.blockWords);
    await page.getByRole('button', { name: en['admin.rules.save'], exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(en['admin.done.rules']);
  }

  async function currentWords(page: Page): Promise<{ holdWords: string; blockWords: string }> {
    await page.goto('/admin/settings');
    return {
      holdWords: await page.getByLabel(en['admin.rules.holdWords']).inputValue(),
      blockWords: await page.getByLabel(en['admin.rules.blockWords']).inputValue(),
    };
  }

  test('a block word sends a new comment containing it to Spam', async ({ page, newReader }) => {
    await login(page, mod.email, mod.password);
    const original = await currentWords(page);
    const blockWord = unique('blockword');
    try {
      await saveWords(page, { blockWords: [original.blockWords, blockWord].filter(Boolean).join('\n') });
      await page.goto('/admin/settings');
      await expect(page.getByLabel(en['admin.rules.blockWords'])).toHaveValue(new RegExp(`(^|\\n)${blockWord}($|\\n)`));

      const marker = unique('blocked-');
      const text = `Cheap ${blockWord.toUpperCase()} here ${marker}`;
      const id = await postAs(await newReader(), RULES_POST, { ...commenter('Blocked'), comment: text });
      await expectOnlyIn(page, 'spam', text);
      // The queue says why: the moderator can tell a rule's verdict from a bot's.
      await openQueue(page, 'spam', marker);
      await expect(queueRow(page, text)).toContainText(fill(en['admin.queue.reason'], { reason: en['admin.reason.block-word'] }));
      await expectPublic(await newReader(), RULES_POST, id, false);

      // A comment without the word is not affected.
      const clean = `Clean ${marker}`;
      await postAs(await newReader(), RULES_POST, { ...commenter('Clean'), comment: clean });
      await expectOnlyIn(page, 'pending', clean);
    } finally {
      await saveWords(page, original);
    }
  });

  test('known authors are approved at once by default; a hold word keeps even their comment pending', async ({ page, newReader }) => {
    await login(page, mod.email, mod.password);
    await page.goto('/admin/settings');
    await expect(page.getByRole('checkbox', { name: en['admin.rules.autoApprove'] }), 'auto-approve is on by default').toBeChecked();
    const original = await currentWords(page);
    const holdWord = unique('holdword');
    const marker = unique('known-');
    const who = commenter('Known');
    const author = await newReader();
    const visitor = await newReader();

    const first = `First ${marker}`;
    const firstId = await postAs(author, RULES_POST, { ...who, comment: first });
    await expect(commentElement(author, firstId)).toContainText(en['comments.awaiting']);
    await openQueue(page, 'pending', marker);
    await act(page, first, 'approve');

    // Second comment by the same (now known) email: published at once.
    const second = `Second ${marker}`;
    const secondId = await postAs(author, RULES_POST, { ...who, comment: second });
    await expect(commentElement(author, secondId)).not.toContainText(en['comments.awaitingBadge']);
    await expectPublic(visitor, RULES_POST, secondId, true, second);
    await expectOnlyIn(page, 'approved', second);

    try {
      await saveWords(page, { holdWords: [original.holdWords, holdWord].filter(Boolean).join('\n') });
      const third = `Third ${marker} mentions ${holdWord}`;
      const thirdId = await postAs(author, RULES_POST, { ...who, comment: third });
      await expect(commentElement(author, thirdId)).toContainText(en['comments.awaiting']);
      await expectPublic(visitor, RULES_POST, thirdId, false);
      await expectOnlyIn(page, 'pending', third);
    } finally {
      await saveWords(page, original);
    }
  });
});
