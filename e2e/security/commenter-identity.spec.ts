import { expect, test, type Browser } from '@playwright/test';
import { startServer, type RunningServer } from '../fixtures/server';
import { login, newModerator, queueRowById } from '../fixtures/admin';
import { decodeHtml, formValues, postComment, t, unique } from '../fixtures/comments';
import { approveInDb, commentRow, serverSecret, sharedDatabase } from '../fixtures/db';
import { commentIdFrom, postForm, type RawResponse, signFormToken, urlencoded, validFields } from '../fixtures/http';
import { OUTAGE } from '../fixtures/posts';

/**
 * SPEC "Security (tightened)": auto-approval needs proof of being that author (this browser wrote
 * an approved comment under that email), never applies to a moderator's name or email typed into
 * the public form, and no answer reveals whether an address has commented before; the duplicate
 * check is no email oracle; cheap refusals come before expensive work; a served form posts one
 * comment; invisible characters do not make two names look alike.
 */

const SLUG = 'why-we-publish-incident-reports';
let origin: string;

test.beforeAll(async ({ baseURL }) => {
  origin = new URL(baseURL!).origin;
});

const token = (slug = SLUG, databasePath = sharedDatabase()) => signFormToken(serverSecret(databasePath), slug, Date.now() - 60_000);
const post = (fields: Record<string, string>, slug = SLUG, server = origin, localAddress?: string) => postForm(server, slug, urlencoded(fields), { localAddress });

/** What an answer tells a client: its status, where it sends them, and the cookies it sets (names only). */
function shape(response: RawResponse) {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((line) => line.split('=')[0]).sort();
  return { status: response.status, location: String(response.headers.location).replace(/\d+$/, 'N'), cookies };
}

async function newReader(browser: Browser) {
  return browser.newContext({ baseURL: origin, javaScriptEnabled: false });
}

test('a returning author is approved at once from their own browser, and only there', async ({ browser }) => {
  const reader = await newReader(browser);
  const stranger = await newReader(browser);
  try {
    const page = await reader.newPage();
    const who = { name: `Returning ${unique()}`, email: `returning.${unique()}@example.com` };
    await page.goto(`/posts/${SLUG}`);
    const first = await postComment(page, { ...who, website: '', comment: `First question ${unique()}` });
    expect(commentRow(first)?.status).toBe('pending');
    approveInDb(first, sharedDatabase());

    await page.goto(`/posts/${SLUG}`);
    const second = await postComment(page, { ...who, email: who.email.toUpperCase(), website: '', comment: `Follow-up ${unique()}` });
    expect(commentRow(second)?.status, 'the same browser proves the author').toBe('approved');
    await expect(page.locator(`#comment-${second}`)).not.toContainText(t['comments.awaitingBadge']);

    const other = await stranger.newPage();
    await other.goto(`/posts/${SLUG}`);
    const third = await postComment(other, { ...who, website: '', comment: `Impostor ${unique()}` });
    expect(commentRow(third)?.status, 'the same email typed in another browser proves nothing').toBe('pending');
    await expect(other.locator(`#comment-${third}`)).toContainText(t['comments.awaitingBadge']);
  } finally {
    await reader.close();
    await stranger.close();
  }
});

test('a typed email gets the same answer whether or not it has an approved comment', async () => {
  const known = validFields(SLUG, token(), 'Known');
  const id = commentIdFrom(await post(known))!;
  approveInDb(id, sharedDatabase());

  const asKnown = await post({ ...validFields(SLUG, token(), 'Probe'), email: known.email });
  const asKnownUpper = await post({ ...validFields(SLUG, token(), 'Probe'), email: known.email.toUpperCase() });
  const asNew = await post(validFields(SLUG, token(), 'Probe'));
  expect(shape(asKnown)).toEqual(shape(asNew));
  expect(shape(asKnownUpper)).toEqual(shape(asNew));
  for (const response of [asKnown, asKnownUpper, asNew]) expect(commentRow(commentIdFrom(response)!)?.status).toBe('pending');
});

test("a moderator's email or name typed into the public form is held and flagged, never published", async () => {
  const moderator = await newModerator(undefined, 'Dana Staff');
  const spellings = [
    { name: 'A reader', email: moderator.email },
    { name: 'A reader', email: moderator.email.toUpperCase() },
    { name: moderator.name, email: `someone.${unique()}@example.com` },
    { name: moderator.name.toUpperCase().replace(' ', '\u200B '), email: `someone.${unique()}@example.com` },
    { name: moderator.name.replace('a', '\u0430'), email: `someone.${unique()}@example.com` },
  ];
  for (const claimed of spellings) {
    const response = await post({ ...validFields(SLUG, token(), 'Claim'), ...claimed, comment: `Official statement ${unique()}` });
    const id = commentIdFrom(response);
    expect(id, JSON.stringify(claimed)).toBeGreaterThan(0);
    const row = commentRow(id!)!;
    expect([row.status, row.decision_reason], JSON.stringify(claimed)).toEqual(['pending', 'moderator-identity']);
  }
});

test('the queue flags a comment posted under a moderator’s name', async ({ page }) => {
  const moderator = await newModerator(undefined, 'Flag Staff');
  const text = `Please reset your password here ${unique()}`;
  const id = commentIdFrom(await post({ ...validFields(SLUG, token(), 'Claim'), name: moderator.name, comment: text }))!;
  await login(page, moderator.email, moderator.password);
  await page.goto(`/admin?status=pending&q=${encodeURIComponent(text)}`);
  await expect(queueRowById(page, id)).toContainText(t['admin.reason.moderator-identity']);
});

test('posting a public comment’s exact text reveals nothing about its author’s email', async () => {
  const original = validFields(SLUG, token(), 'Original');
  const id = commentIdFrom(await post(original))!;
  approveInDb(id, sharedDatabase());
  // A stranger: another client address, no cookies.
  const right = await post({ ...validFields(SLUG, token(), 'Copy'), email: original.email, comment: original.comment }, SLUG, origin, '127.0.0.41');
  const wrong = await post({ ...validFields(SLUG, token(), 'Copy'), email: `guess.${unique()}@example.com`, comment: original.comment }, SLUG, origin, '127.0.0.42');
  expect(shape(right)).toEqual(shape(wrong));
  expect(right.status, 'not refused as a duplicate').toBe(303);
});

test('the same browser sending the same text twice is told it already posted it', async () => {
  const fields = validFields(SLUG, token(), 'Twice');
  expect((await post(fields)).status).toBe(303);
  // Same client (this test runner's address), a fresh form: refused as a duplicate, text kept.
  const again = await post({ ...fields, token: token() });
  expect(again.status).toBe(409);
  expect(decodeHtml(again.body)).toContain(t['form.error.duplicate']);
  expect(formValues(again.body).comment.trim()).toBe(fields.comment);
});

test('a served form posts one comment: its token used again is refused with the text kept', async () => {
  const once = token();
  expect((await post(validFields(SLUG, once, 'Once'))).status).toBe(303);
  const second = validFields(SLUG, once, 'Again');
  const response = await post(second);
  expect(response.status).toBe(400);
  expect(decodeHtml(response.body)).toContain(t['form.error.used']);
  expect(formValues(response.body)).toEqual({ name: second.name, email: second.email, website: second.website, comment: second.comment });
  expect(decodeHtml(response.body), 'the page carries a fresh form to send again').not.toContain(once);
});

test('invisible characters are removed from names', async () => {
  for (const invisible of ['\u200B', '\u200F', '\u061C', '\u00AD', '\u034F', '\u2060', '\uFEFF']) {
    const id = commentIdFrom(await post({ ...validFields(SLUG, token(), 'Invisible'), name: `Da${invisible}na ${invisible}Ops` }))!;
    expect(commentRow(id)?.author_name, `U+${invisible.codePointAt(0)!.toString(16).toUpperCase()}`).toBe('Dana Ops');
  }
});

test.describe('flood control (own server, 15 s)', () => {
  let server: RunningServer;
  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(90_000);
    server = await startServer({ COMMENT_FLOOD_SECONDS: '15', COMMENT_MIN_SECONDS: '0' });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('a refused client is answered cheaply: flood comes before validation, and the answer is the form alone, text kept', async () => {
    const serverToken = () => token(OUTAGE, server.databasePath);
    expect((await post(validFields(OUTAGE, serverToken(), 'Flood'), OUTAGE, server.origin)).status).toBe(303);
    const invalid = await post({ ...validFields(OUTAGE, serverToken(), 'Flood'), email: 'not an email', name: '' }, OUTAGE, server.origin);
    expect(invalid.status, 'refused by flood control before its fields are checked').toBe(429);
    expect(Number(invalid.headers['retry-after'])).toBeGreaterThan(0);
    const typed = validFields(OUTAGE, serverToken(), 'Flood');
    const refused = await post(typed, OUTAGE, server.origin);
    expect(refused.status).toBe(429);
    expect(formValues(refused.body)).toEqual({ name: typed.name, email: typed.email, website: typed.website, comment: typed.comment });
    expect(refused.body, 'no thread is rendered for a refused client').not.toMatch(/id="comment-\d+"/);
    expect(refused.body, 'nor the post').not.toContain('class="prose"');
  });
});
