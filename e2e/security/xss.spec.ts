import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { validateCommentInput } from '../../src/domain/comments/validation';
import { renderCommentBody } from '../../src/render/comment-body';
import { XSS_PAYLOADS } from '../../src/render/xss-payloads';
import { approveViaAdmin, login, loginViaHttp, type ModeratorAccount, newModerator } from '../fixtures/admin';
import { fillCommentForm, formField, postComment, submitCommentForm, unique } from '../fixtures/comments';
import { commentRow, type CommentRow, commentsWhere, sharedDatabase, withDb } from '../fixtures/db';
import { formPost, get, servedToken } from '../fixtures/http';

/**
 * SPEC "Comments" (body formatting, names and websites) and "Abuse and bad input": the XSS
 * payload corpus, put into every field a visitor controls, must stay inert text wherever it is
 * shown — the post page, the moderation queue (every tab), the edit page, the feed — in a real
 * Chromium. Pages are visited with the CSP switched off (bypassCSP), so that the escaping and
 * the sanitizer are what is tested, not the CSP that would otherwise mask a hole; the post page
 * and the queue are visited once more with the CSP on, which must report no blocked script.
 *
 * Part of the corpus goes through the real comment form (about a dozen comments carrying all
 * payloads in name, website and body, approved in the queue with "Approve"); each payload also
 * gets a comment of its own, stored straight in the database with the app's own validation and
 * renderer (one form post per payload would take minutes).
 */

const SLUG = 'post-incident-review-template';
/**
 * Fixed for the whole run (derived from the run's database), so that a worker restarted after a
 * failed test finds the corpus already stored instead of storing it twice.
 */
const RUN = createHash('sha1').update(`xss ${sharedDatabase()}`).digest('hex').slice(0, 10);
/** Every XSS comment of this run has an email containing this, so the queue search finds them all. */
const MARK = `.${RUN}@`;

/** Payloads that would leave a visible trace even without a dialog. */
const SENTINEL_PAYLOADS = [
  // Strings that parse as http(s) URLs and contain "&": short enough to be names, and they must
  // stay inside a value="…" attribute like any other text.
  'https://a.example/?&"><img src=x onerror="window.__xss=1">',
  'https://a.example/?&"><meta http-equiv=refresh content="0;url=http://evil.example/">',
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"></svg>',
  '<script>document.title="pwned"</script>',
  `<img src=x onerror="document.title='pwned'">`,
  '[click me](javascript:window.__xss=1)',
  '<a href="javascript:window.__xss=1">click me</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<details open ontoggle="window.__xss=1">x</details>',
  '"><script>window.__xss=1</script>',
  `'><img src=x onerror=window.__xss=1>`,
  '</textarea><script>window.__xss=1</script>',
  '</title><script>document.title="pwned"</script>',
  '<input autofocus onfocus="window.__xss=1">',
  '<img id="__xss" name="__xss">',
];
const PAYLOADS = [...XSS_PAYLOADS, ...SENTINEL_PAYLOADS];
/** A browser posts a NUL byte as %00, which the app refuses as malformed before any parsing: those go in through the database only. */
const FORM_PAYLOADS = PAYLOADS.filter((p) => !p.includes('\u0000'));

/** Websites that are valid http(s) URLs (no whitespace) but try to break out of the attribute or smuggle markup. */
const WEBSITE_PAYLOADS = [
  'https://x.example/?a=&"><img/src=x/onerror=window.__xss=1>',
  'https://x.example/"><script>window.__xss=1</script>',
  `https://x.example/'onmouseover='window.__xss=1'`,
  'https://x.example/?q="><img/src=x/onerror=alert(1)>',
  'https://x.example/#"autofocus/onfocus="alert(1)',
  'http://x.example/<svg/onload=alert(1)>',
  'https://x.example/javascript:alert(1)',
  'https://x.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
  'x.example/"><script>window.__xss=1</script>',
  'HTTPS://X.EXAMPLE/&quot;onclick=&quot;alert(1)',
  'https://x.example/?a=1&b=</a><script>alert(1)</script>',
];

/** Websites that are no http(s) URL: refused with the website error, nothing stored. */
const REFUSED_WEBSITES = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'javascript:window.__xss=1',
  '  javascript:alert(1)',
  'javascript://x.example/%0Aalert(1)',
  'javascript:"><script>window.__xss=1</script>',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  '\u0001javascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'https://x.example/ onmouseover=alert(1)',
];
const WEBSITE_ERROR = 'Please enter a web address starting with http:// or https://.';

/** At most 100 code points: names longer than that are refused by the form. */
const shortName = (payload: string) => Array.from(payload.replace(/\s+/g, ' ').trim()).slice(0, 100).join('') || 'x';

// --- a browser context that notices any script of a payload running --------------------------

interface Watched {
  context: BrowserContext;
  dialogs: string[];
  external: string[];
  page(): Promise<Page>;
}

async function watchedContext(browser: Browser, baseURL: string, options: { bypassCSP: boolean; storageState?: Awaited<ReturnType<BrowserContext['storageState']>> }): Promise<Watched> {
  const context = await browser.newContext({ baseURL, bypassCSP: options.bypassCSP, storageState: options.storageState });
  const dialogs: string[] = [];
  const external: string[] = [];
  await context.addInitScript(() => {
    (window as unknown as { __xss: unknown }).__xss = 0;
    const violations: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`));
  });
  context.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()} on ${dialog.page()?.url()}`);
    void dialog.dismiss().catch(() => {});
  });
  // A payload that reaches the DOM may try to load something from elsewhere: record and refuse it.
  await context.route(
    (url) => url.hostname !== 'localhost',
    (route) => {
      external.push(route.request().url());
      return route.abort();
    },
  );
  return { context, dialogs, external, page: () => context.newPage() };
}

/**
 * Everything a document must not contain in `area` (CSS selector): script other than the app's own
 * bundles, event-handler or style attributes, javascript:/data:/vbscript: URLs, active elements;
 * and in comment bodies only the renderer's allowlist (p, br, strong, em, code, blockquote, a).
 * Runs in the browser (see `findInjections`), on the live document or on a parsed one.
 */
function checkDocument(doc: Document, selector: string, origin: string): string[] {
  const problems: string[] = [];
  const describe = (el: Element) => el.outerHTML.slice(0, 160);
  const areas = [...doc.querySelectorAll(selector)];
  if (areas.length === 0) problems.push(`nothing matches ${selector}`);
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'ping', 'srcset', 'codebase', 'cite', 'lowsrc', 'dynsrc', 'manifest']);
  // <script> is checked document-wide below: only the app's own bundles may appear.
  const forbidden = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'style', 'svg', 'math', 'img', 'image', 'video', 'audio', 'source', 'track', 'template', 'portal', 'noscript', 'xmp', 'plaintext', 'marquee', 'isindex', 'details', 'dialog']);
  // The theme's own pictures (hero images, thumbnails, avatars): built files under /_astro/, never inside a comment.
  const isOwnPicture = (el: Element) => {
    const urls = [el.getAttribute('src') ?? '', ...(el.getAttribute('srcset') ?? '').split(',').map((c) => c.trim().split(/\s+/)[0])].filter(Boolean);
    return (el.localName === 'img' || el.localName === 'source') && !el.closest('.comment') && urls.length > 0 &&
      urls.every((u) => {
        const url = new URL(u, origin);
        return url.origin === origin && /^\/_astro\/[\w.-]+\.(webp|avif|jpe?g|png|svg)$/.test(url.pathname);
      });
  };
  for (const root of areas) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (forbidden.has(el.localName) && !isOwnPicture(el)) problems.push(`forbidden element: ${describe(el)}`);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) problems.push(`event handler ${attr.name}: ${describe(el)}`);
        // The queue's own per-row buttons post to an admin action of this app; any other formaction is injected.
        const ownAction = name === 'formaction' && el.localName === 'button' && /^\/admin\?([^#]*&)?_action=admin\.[a-zA-Z]+$/.test(attr.value);
        if (name === 'style' || name === 'srcdoc' || (name === 'formaction' && !ownAction)) problems.push(`attribute ${attr.name}: ${describe(el)}`);
        if (urlAttributes.has(name)) {
          const value = attr.value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase();
          if (/^(javascript|vbscript|livescript|data):/.test(value)) problems.push(`${attr.name}=${attr.value}: ${describe(el)}`);
        }
      }
    }
  }
  for (const script of doc.querySelectorAll('script')) {
    // JSON-LD is data, never run: allowed only as well-formed JSON that cannot close its element.
    if (script.getAttribute('type') === 'application/ld+json' && !script.hasAttribute('src')) {
      const text = script.textContent ?? '';
      let parsed = true;
      try { JSON.parse(text); } catch { parsed = false; }
      if (!parsed || /<\//.test(text)) problems.push(`JSON-LD that is not inert JSON: ${describe(script)}`);
      continue;
    }
    const src = script.getAttribute('src');
    const url = src ? new URL(src, origin) : null;
    if (!url || url.origin !== origin || !/^\/_astro\/[\w.-]+\.js$/.test(url.pathname)) problems.push(`script that is not the app's bundle: ${describe(script)}`);
  }
  const allowed = new Set(['p', 'br', 'strong', 'em', 'code', 'blockquote', 'a']);
  for (const body of doc.querySelectorAll('.comment-body')) {
    for (const el of body.querySelectorAll('*')) {
      if (!allowed.has(el.localName)) {
        problems.push(`comment body element outside the allowlist: ${describe(el)}`);
        continue;
      }
      const names = [...el.attributes].map((a) => a.name).sort();
      if (el.localName !== 'a' ? names.length > 0 : names.join(' ') !== 'href rel') problems.push(`unexpected attributes ${names}: ${describe(el)}`);
      if (el.localName === 'a') {
        if (!/^(https?:\/\/|mailto:)/i.test(el.getAttribute('href') ?? '')) problems.push(`comment link that is not http(s)/mailto: ${describe(el)}`);
        const rel = (el.getAttribute('rel') ?? '').split(/\s+/);
        if (!['nofollow', 'ugc', 'noopener'].every((token) => rel.includes(token))) problems.push(`comment link without rel nofollow ugc noopener: ${describe(el)}`);
      }
    }
  }
  return problems;
}

/** `checkDocument` on the page's live document (passed as source text: no eval, so it also works under the CSP). */
function findInjections(page: Page, area: string): Promise<string[]> {
  return page.evaluate(`(${checkDocument.toString()})(document, ${JSON.stringify(area)}, location.origin)`) as Promise<string[]>;
}

/** Waits until the page and its images have loaded and pending tasks (autofocus, error events) have run. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/** Visits `path` and checks that nothing of a payload ran or reached the DOM in `area`. */
async function expectInert(watched: Watched, page: Page, path: string, area: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers`).toBeLessThan(400);
  await settled(page);
  await expectPageInert(watched, page, area, path);
}

async function expectPageInert(watched: Watched, page: Page, area: string, label: string): Promise<void> {
  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss: unknown }).__xss,
    title: document.title,
    url: location.pathname + location.search,
    csp: (window as unknown as { __csp?: string[] }).__csp ?? [],
  }));
  expect(watched.dialogs, `no dialog on ${label}`).toEqual([]);
  expect(String(state.xss), `window.__xss untouched on ${label}`).toBe('0');
  expect(state.title, `document.title untouched on ${label}`).not.toMatch(/pwned/i);
  expect(state.csp.filter((v) => v.startsWith('script-src')), `no script blocked by the CSP on ${label}`).toEqual([]);
  expect(watched.external, `no request to another host from ${label}`).toEqual([]);
  expect(await findInjections(page, area), `markup injected on ${label}`).toEqual([]);
}

// --- state shared by the serial tests ---------------------------------------------------------

let moderator: ModeratorAccount;
let adminState: Awaited<ReturnType<BrowserContext['storageState']>>;

/** Every comment of the corpus: the commenters' (email carries MARK) and the moderator's replies to them. */
function hostileRows(): CommentRow[] {
  return commentsWhere(
    `instr(author_email, ?) > 0 or (moderator_id is not null and parent_id in (select id from comments where instr(author_email, ?) > 0))`,
    [MARK, MARK],
  );
}

test.beforeAll(async ({ browser, baseURL }) => {
  moderator = await newModerator();
  const context = await browser.newContext({ baseURL });
  await login(await context.newPage(), moderator.email, moderator.password);
  adminState = await context.storageState();
  await context.close();
});

test('the website field refuses javascript: and every other non-http(s) URL with an error', async ({ browser, baseURL }) => {
  const watched = await watchedContext(browser, baseURL!, { bypassCSP: true });
  const page = await watched.page();
  const marker = `refused-website-${RUN}`;

  // Through the real form: the error is shown at the field, the typed value is kept as text.
  for (const website of ['javascript:alert(1)', 'javascript:"><script>window.__xss=1</script>', 'JaVaScRiPt:window.__xss=1']) {
    await page.goto(`/posts/${SLUG}`);
    await fillCommentForm(page, { name: 'Mallory', email: `mallory.${unique()}@example.com`, website, comment: `${marker} via form` });
    await submitCommentForm(page);
    const field = formField(page, 'Website');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(WEBSITE_ERROR);
    await expect(field).toHaveValue(website);
    await settled(page);
    await expectPageInert(watched, page, '#comments', `the refused form with website ${website}`);
  }

  // Every variant over HTTP (same origin, valid form token).
  const origin = new URL(baseURL!).origin;
  const token = (await servedToken(origin, SLUG)).token;
  for (const website of REFUSED_WEBSITES) {
    const response = await formPost(
      `${origin}/posts/${SLUG}?_action=comments.submit`,
      { post: SLUG, token, name: 'Mallory', email: `mallory.${unique()}@example.com`, website, comment: `${marker} ${JSON.stringify(website)}` },
      { origin },
    );
    expect(response.status, `website ${JSON.stringify(website)} is refused`).toBe(400);
    expect(await response.text()).toContain(WEBSITE_ERROR);
  }
  expect(commentsWhere(`instr(body_source, ?) > 0`, [marker]), 'no comment with a refused website was stored').toEqual([]);
  await watched.context.close();
});

test('a refused comment shows the hostile input back in the form as text, never as markup', async ({ browser, baseURL }) => {
  const watched = await watchedContext(browser, baseURL!, { bypassCSP: true });
  const page = await watched.page();
  const samples = [...SENTINEL_PAYLOADS, ...FORM_PAYLOADS.filter((_, i) => i % 20 === 0)];
  for (let i = 0; i < samples.length; i += 6) {
    const chunk = samples.slice(i, i + 6);
    const fields = { name: shortName(chunk[0]), email: 'not-an-email', website: WEBSITE_PAYLOADS[i % WEBSITE_PAYLOADS.length], comment: chunk.join('\n\n') };
    await page.goto(`/posts/${SLUG}`);
    await fillCommentForm(page, fields);
    await submitCommentForm(page);
    await expect(formField(page, 'Email')).toHaveAttribute('aria-invalid', 'true');
    await settled(page);
    await expectPageInert(watched, page, '#comments', `the refused comment form with name ${JSON.stringify(fields.name)} and website ${JSON.stringify(fields.website)}`);
    // Kept exactly as typed: had the markup broken out of the attribute or textarea, the values would differ.
    await expect(formField(page, 'Name')).toHaveValue(fields.name);
    await expect(formField(page, 'Website')).toHaveValue(fields.website);
    await expect(formField(page, 'Comment')).toHaveValue(fields.comment.replace(/\r\n?/g, '\n'));
  }
  await watched.context.close();
});

test('a failed login shows the typed email back as text, never as markup', async ({ browser, baseURL }) => {
  const watched = await watchedContext(browser, baseURL!, { bypassCSP: true });
  const page = await watched.page();
  // Failed logins count towards the lock of this client (shared by every spec): a successful
  // login before and after keeps the count well below the limit.
  const origin = new URL(baseURL!).origin;
  await loginViaHttp(origin, moderator);
  try {
    // The type=email check is the browser's, not the server's: switch it off to send anything.
    for (const email of ['"><script>window.__xss=1</script>', `'><img src=x onerror=window.__xss=1>@x.example`, SENTINEL_PAYLOADS[0]]) {
      await page.goto('/admin/login');
      await page.getByLabel('Email', { exact: true }).evaluate((input: HTMLInputElement) => (input.type = 'text'));
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('wrong password, surely');
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expect(page.getByRole('alert')).toContainText('The email or password is incorrect.');
      await settled(page);
      await expectPageInert(watched, page, 'main', `the failed login with email ${email}`);
      await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);
    }
  } finally {
    await loginViaHttp(origin, moderator);
    await watched.context.close();
  }
});

test('a hostile queue search is shown back as text, never as markup', async ({ browser, baseURL }) => {
  const watched = await watchedContext(browser, baseURL!, { bypassCSP: true, storageState: adminState });
  const page = await watched.page();
  // A link a moderator could be sent: GET, no form post, so the origin check does not apply.
  for (const search of [SENTINEL_PAYLOADS[0], SENTINEL_PAYLOADS[1], '"><script>window.__xss=1</script>', "'><img src=x onerror=window.__xss=1>"]) {
    await page.goto(`/admin?q=${encodeURIComponent(search)}`);
    await settled(page);
    await expectPageInert(watched, page, 'main', `the queue searched for ${JSON.stringify(search)}`);
    await expect(page.getByRole('searchbox')).toHaveValue(search);
  }
  await watched.context.close();
});

/**
 * The corpus is stored once per run — through the real form (about a dozen comments carrying every
 * payload in name, website and body, then approved with the queue's "Approve" button, plus a reply,
 * a moderator's edit and a moderator's reply) and one comment per payload in the database — and
 * then looked at everywhere it is shown. Each place is its own test: "inert" (nothing runs, no
 * markup gets through) and "exact" (what is shown is what was stored) fail separately.
 */
test.describe('the payload corpus', () => {
  test.beforeAll(async ({ browser, baseURL }, testInfo) => {
    testInfo.setTimeout(120_000);
    const stored = commentsWhere(`instr(author_email, ?) > 0 and author_email like 'xss.db%'`, [MARK]).length;
    if (stored === PAYLOADS.length) return; // stored by this run already (before a worker restart)
    await storeThroughForm(browser, baseURL!);
    storeInDatabase();
  });

  test('the post page shows every hostile comment inert, with the CSP off and on', async ({ browser, baseURL }) => {
    const rows = hostileRows();
    const approved = rows.filter((r) => r.status === 'approved');
    expect(approved.length, 'most of the corpus is approved').toBeGreaterThan(PAYLOADS.length / 2);
    for (const bypassCSP of [true, false]) {
      const watched = await watchedContext(browser, baseURL!, { bypassCSP });
      const page = await watched.page();
      await expectInert(watched, page, `/posts/${SLUG}`, '#comments');
      const shownIds = await page.locator('#comments li.comment').evaluateAll((items) => items.map((li) => li.id));
      for (const row of approved) expect(shownIds, `approved comment ${row.id} is on the page`).toContain(`comment-${row.id}`);
      // Pending, spam and trashed hostile comments are not shown to the public at all.
      for (const row of rows.filter((r) => r.status !== 'approved')) expect(shownIds, `${row.status} comment ${row.id} is not public`).not.toContain(`comment-${row.id}`);
      await expectInert(watched, page, `/posts/${SLUG}?replyto=${approved[0].id}`, '#comments');
      await watched.context.close();
    }
  });

  test('the post page shows every hostile name and website exactly as stored', async ({ browser, baseURL }) => {
    const approved = hostileRows().filter((r) => r.status === 'approved');
    const page = await (await browser.newContext({ baseURL })).newPage();
    await page.goto(`/posts/${SLUG}`);
    const shown = await page.locator('#comments .comment-author').evaluateAll((els) =>
      els.map((el) => ({ id: el.id, name: el.textContent, href: el.getAttribute('href'), rel: el.getAttribute('rel') })),
    );
    const byId = new Map(shown.map((s) => [s.id, s]));
    const mismatches = approved.flatMap((row) => {
      const author = byId.get(`comment-${row.id}-author`);
      const expected = { id: `comment-${row.id}-author`, name: row.author_name, href: row.author_url, rel: row.author_url ? 'nofollow ugc noopener' : null };
      return JSON.stringify(author) === JSON.stringify(expected) ? [] : [{ expected, shown: author }];
    });
    expect(mismatches, 'names (as text) and websites (as href) shown exactly as stored').toEqual([]);
    for (const row of approved) if (row.author_url) expect(row.author_url, 'only http(s) websites are stored').toMatch(/^https?:\/\//);
    await page.context().close();
  });

  test('the moderation queue shows the corpus inert in every tab, with the CSP off and on', async ({ browser, baseURL }) => {
    test.setTimeout(60_000);
    const rows = hostileRows();
    for (const bypassCSP of [true, false]) {
      const watched = await watchedContext(browser, baseURL!, { bypassCSP, storageState: adminState });
      const page = await watched.page();
      await expectInert(watched, page, '/admin', 'main');
      for (const status of bypassCSP ? ['pending', 'approved', 'spam', 'trash'] : ['pending', 'approved']) {
        const expected = rows.filter((r) => r.status === status && r.author_email.includes(MARK));
        expect(expected.length, `hostile ${status} comments exist`).toBeGreaterThan(0);
        const listed: string[] = [];
        for (let n = 1; n <= Math.ceil(expected.length / 50); n++) {
          await expectInert(watched, page, `/admin?status=${status}&q=${encodeURIComponent(MARK)}&page=${n}`, 'main');
          listed.push(...(await page.locator('table.queue tbody tr').evaluateAll((trs) => trs.map((tr) => tr.id))));
        }
        expect(listed.sort(), `every hostile ${status} comment is listed`).toEqual(expected.map((r) => `row-${r.id}`).sort());
      }
      await expectInert(watched, page, '/admin/log', 'main');
      await expectInert(watched, page, '/admin/settings', 'main');
      await watched.context.close();
    }
  });

  test('the moderation queue shows every hostile name, email and website exactly as stored', async ({ browser, baseURL }) => {
    const rows = hostileRows().filter((r) => r.author_email.includes(MARK));
    const page = await (await browser.newContext({ baseURL, storageState: adminState })).newPage();
    const shown = new Map<string, { name: string | null; email: string | null; website: string | null }>();
    for (const status of ['pending', 'approved', 'spam', 'trash']) {
      const count = rows.filter((r) => r.status === status).length;
      for (let n = 1; n <= Math.ceil(count / 50); n++) {
        await page.goto(`/admin?status=${status}&q=${encodeURIComponent(MARK)}&page=${n}`);
        const found = await page.locator('table.queue tbody tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            id: tr.id,
            name: tr.querySelector('.author')?.textContent ?? null,
            email: tr.querySelector('a.email')?.textContent ?? null,
            website: tr.querySelector('a.website')?.getAttribute('href') ?? null,
          })),
        );
        for (const { id, ...fields } of found) shown.set(id, fields);
      }
    }
    const mismatches = rows.flatMap((row) => {
      const expected = { name: row.author_name, email: row.author_email, website: row.author_url };
      const got = shown.get(`row-${row.id}`);
      return JSON.stringify(got) === JSON.stringify(expected) ? [] : [{ id: row.id, expected, shown: got }];
    });
    expect(mismatches, 'queue rows show name, email and website exactly as stored').toEqual([]);
    await page.context().close();
  });

  test('the feed and the index stay inert', async ({ browser, baseURL }) => {
    const watched = await watchedContext(browser, baseURL!, { bypassCSP: true });
    const page = await watched.page();
    const rss = await page.goto('/rss.xml');
    expect(rss?.status()).toBe(200);
    await settled(page);
    expect(watched.dialogs, 'no dialog on /rss.xml').toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('script, [onload], [onerror]').length), 'no script in the feed document').toBe(0);
    expect(watched.external).toEqual([]);
    await expectInert(watched, page, '/', 'main');
    await watched.context.close();
  });

  test('the edit page of every hostile comment has no injected markup and shows name, website, email and text exactly as stored', async ({ browser, baseURL }) => {
    // Every edit page, fetched with the moderator's session and parsed by the browser (DOMParser:
    // the same HTML parser, without the cost of ~280 navigations).
    const origin = new URL(baseURL!).origin;
    const session = adminState.cookies.find((c) => c.name === 'aw_session')!.value;
    const rows = hostileRows();
    const pages: { id: number; html: string }[] = [];
    const queue = [...rows];
    await Promise.all(
      [1, 2, 3, 4].map(async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          const response = await get(`${origin}/admin/comments/${row.id}`, session);
          expect(response.status, `/admin/comments/${row.id} answers`).toBe(200);
          pages.push({ id: row.id, html: await response.text() });
        }
      }),
    );
    const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
    const page = await context.newPage();
    await page.goto('/healthz');
    const results = (await page.evaluate(`(() => {
      const check = ${checkDocument.toString()};
      return ${JSON.stringify(pages)}.map(({ id, html }) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return {
          id,
          problems: check(doc, 'main', location.origin),
          shown: {
            name: doc.querySelector('#edit-name')?.getAttribute('value') ?? null,
            website: doc.querySelector('#edit-website')?.getAttribute('value') ?? null,
            comment: doc.querySelector('#edit-comment')?.textContent ?? null,
            email: doc.querySelector('main a[href^="mailto:"]')?.textContent ?? null,
          },
        };
      });
    })()`)) as { id: number; problems: string[]; shown: Record<string, string | null> }[];
    await context.close();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const injected = results.filter((r) => r.problems.length).map((r) => ({ id: r.id, name: byId.get(r.id)!.author_name, problems: r.problems }));
    const mismatches = results.flatMap(({ id, shown }) => {
      const row = byId.get(id)!;
      const expected: Record<string, string> = { name: row.author_name, website: row.author_url ?? '', comment: row.body_source, email: row.author_email };
      return Object.keys(expected).filter((field) => shown[field] !== expected[field]).map((field) => ({ id, field, stored: expected[field], shown: shown[field] }));
    });
    expect(results).toHaveLength(rows.length);
    expect.soft(injected, 'edit pages with markup injected by a stored payload').toEqual([]);
    expect.soft(mismatches, 'edit forms filled with exactly the stored values').toEqual([]);
  });

  test('edit pages opened in the browser run none of the payloads', async ({ browser, baseURL }) => {
    test.setTimeout(90_000);
    // A real navigation for each comment that went through the form (all payloads in their
    // bodies), the replies, and each comment of its own of the sentinel payloads.
    const rows = hostileRows().filter((r) => !r.author_email.startsWith('xss.db') || SENTINEL_PAYLOADS.some((p) => r.body_source.startsWith(p)));
    const watched = await watchedContext(browser, baseURL!, { bypassCSP: true, storageState: adminState });
    const problems: string[] = [];
    let page = await watched.page();
    for (const row of rows) {
      try {
        await expectInert(watched, page, `/admin/comments/${row.id}`, 'main');
      } catch (error) {
        problems.push(`comment ${row.id} (name ${JSON.stringify(row.author_name)}): ${(error as Error).message.split('\n')[0]}`);
        // A fresh tab: a payload that ran may still be navigating this one.
        await page.close();
        page = await watched.page();
        watched.dialogs.length = 0;
        watched.external.length = 0;
      }
    }
    expect(problems, 'edit pages where a payload ran, navigated away or got into the markup').toEqual([]);
    await watched.context.close();
  });
});

/**
 * Every payload through the real form: two dozen per comment in the body, and each comment's name
 * and website hostile too. Two thirds are approved with the row's "Approve" button; one gets a
 * hostile reply through the form; the moderator edits one and replies to it with payloads.
 */
async function storeThroughForm(browser: Browser, baseURL: string): Promise<void> {
  const watched = await watchedContext(browser, baseURL, { bypassCSP: true, storageState: adminState });
  const page = await watched.page();
  const perComment = 24;
  const formIds: number[] = [];
  for (let i = 0, n = 0; i < FORM_PAYLOADS.length; i += perComment, n++) {
    const chunk = FORM_PAYLOADS.slice(i, i + perComment);
    if (n === 0) await page.goto(`/posts/${SLUG}`);
    const id = await postComment(page, {
      name: shortName(chunk.find((p) => p.trim().length <= 100) ?? chunk[0]),
      email: `xss.form${n}${MARK}example.com`,
      website: WEBSITE_PAYLOADS[n % WEBSITE_PAYLOADS.length],
      comment: chunk.join('\n\n'),
    });
    await settled(page);
    await expectPageInert(watched, page, '#comments', `the post page showing its author the pending hostile comment #${id}`);
    formIds.push(id);
  }
  expect(formIds.length).toBeGreaterThanOrEqual(10);
  const stored = formIds.map((id) => commentRow(id)!);
  for (const row of stored) expect(row.status, `comment ${row.id} waits for moderation`).toBe('pending');

  for (const row of stored.filter((_, i) => i % 3 !== 2)) await approveViaAdmin(page, row.id, row.author_email);
  await expectPageInert(watched, page, 'main', 'the queue after approving');

  const parent = stored[0];
  await page.goto(`/posts/${SLUG}?replyto=${parent.id}#respond`);
  const replyId = await postComment(page, {
    name: '<img src=x onerror="window.__xss=1">',
    email: `xss.reply${MARK}example.com`,
    website: WEBSITE_PAYLOADS[1],
    comment: SENTINEL_PAYLOADS.join('\n'),
  });
  expect(commentRow(replyId)?.parent_id, 'the reply hangs under its parent').toBe(parent.id);
  await approveViaAdmin(page, replyId, `xss.reply${MARK}`);

  // The moderator edits a comment and replies to it with payloads (admin.edit, admin.reply).
  const edited = stored[1];
  await page.goto(`/admin/comments/${edited.id}`);
  await page.locator('#edit-name').fill('"><svg onload="window.__xss=1">');
  await page.locator('#edit-website').fill(WEBSITE_PAYLOADS[2]);
  await page.locator('#edit-comment').fill(`${SENTINEL_PAYLOADS.slice(0, 8).join('\n\n')}\n\n</textarea><script>window.__xss=1</script>`);
  await page.getByRole('button', { name: 'Save changes', exact: true }).click();
  await expect(page).toHaveURL(/done=edit/);
  await expectPageInert(watched, page, 'main', 'the edit page after saving payloads');
  expect(commentRow(edited.id)?.author_name).toBe('"><svg onload="window.__xss=1">');

  await page.locator('#reply-comment').fill(`${SENTINEL_PAYLOADS.slice(8).join('\n\n')}\n\n<script>window.__xss=1</script>`);
  await page.getByRole('button', { name: 'Publish reply', exact: true }).click();
  await expect(page).toHaveURL(/done=reply/);
  await expectPageInert(watched, page, 'main', 'the edit page after a moderator reply with payloads');
  const moderatorReplies = commentsWhere('parent_id = ? and moderator_id is not null', [edited.id]);
  expect(moderatorReplies, 'the moderator reply was stored and published').toHaveLength(1);
  expect(moderatorReplies[0].status).toBe('approved');
  await watched.context.close();
}

/**
 * One comment per payload, stored straight in the database the way the app stores a comment: the
 * fields through the app's own validation, the body through its renderer. Statuses spread over
 * approved, pending, spam and trash; some are replies (nested threads, parent quotes in the queue).
 */
function storeInDatabase(): void {
  const statuses = ['approved', 'approved', 'approved', 'approved', 'approved', 'pending', 'spam', 'trash'];
  const now = Date.now();
  withDb((db) => {
    const insert = db.prepare(
      `insert into comments (post_slug, parent_id, status, author_name, author_email, author_url, body_source, body_html, decision_reason, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'e2e-xss-corpus', ?, ?)`,
    );
    db.transaction(() => {
      let lastApproved: number | null = null;
      PAYLOADS.forEach((payload, i) => {
        const raw = { name: shortName(payload), email: `xss.db${i}${MARK}example.com`, website: WEBSITE_PAYLOADS[i % WEBSITE_PAYLOADS.length], comment: payload };
        let checked = validateCommentInput(raw);
        if (!checked.ok && checked.errors.name) checked = validateCommentInput({ ...raw, name: `Payload ${i}` });
        if (!checked.ok && checked.errors.body) checked = validateCommentInput({ ...raw, comment: `${payload} (${i})` });
        if (!checked.ok) throw new Error(`payload ${i} does not validate: ${JSON.stringify(checked.errors)}`);
        const { value } = checked;
        const status = statuses[i % statuses.length];
        const parent = lastApproved !== null && (i % 4 === 3 || status === 'pending') ? lastApproved : null;
        const at = now - (PAYLOADS.length - i) * 10;
        const info = insert.run(SLUG, parent, status, value.name, value.email, value.website, value.body, renderCommentBody(value.body), at, at);
        if (status === 'approved') lastApproved = Number(info.lastInsertRowid);
      });
    })();
  });
}
