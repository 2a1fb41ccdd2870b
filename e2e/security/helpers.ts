import { expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Helpers of the security specs: moderators made with the operator's CLI, logging in and
 * commenting through the real forms, approving through the moderation queue, raw HTTP
 * requests with exactly the headers a test wants (Origin, Referer, Cookie), and read-only
 * looks into the e2e SQLite file to prove that a refused request changed nothing.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** A short random suffix: every spec shares one database, so names and texts must not collide. */
export function uid(): string {
  return randomBytes(5).toString('hex');
}

/** The shared e2e server's database (set once in e2e/playwright.config.ts). */
export function e2eDatabase(): string {
  const path = process.env.AFTERWORD_E2E_DB;
  if (!path) throw new Error('AFTERWORD_E2E_DB is not set (run with e2e/playwright.config.ts)');
  return path;
}

export function withDb<T>(fn: (db: Database.Database) => T, databasePath = e2eDatabase()): T {
  const db = new Database(databasePath, { fileMustExist: true, timeout: 10_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

// --- moderators --------------------------------------------------------------------------------

export interface Moderator {
  email: string;
  name: string;
  password: string;
}

/** Creates a moderator the way an operator does: `node --import tsx scripts/moderator.ts add`. */
export async function createModerator(options: { databasePath?: string; email?: string; name?: string; password?: string } = {}): Promise<Moderator> {
  const id = uid();
  const moderator = {
    email: options.email ?? `mod.${id}@example.com`,
    name: options.name ?? `Moderator ${id}`,
    password: options.password ?? `long secret passphrase ${id}`,
  };
  await run(process.execPath, ['--import', 'tsx', 'scripts/moderator.ts', 'add', moderator.email, '--name', moderator.name], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: options.databasePath ?? e2eDatabase(), MODERATOR_PASSWORD: moderator.password },
  });
  return moderator;
}

/** Logs in through the login form (labels Email, Password; button "Log in") and lands on the queue. */
export async function loginViaForm(page: Page, moderator: Pick<Moderator, 'email' | 'password'>): Promise<void> {
  await page.goto('/admin/login');
  await page.getByLabel('Email', { exact: true }).fill(moderator.email);
  await page.getByLabel('Password', { exact: true }).fill(moderator.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** The value of the `aw_session` cookie the browser holds for the site, if any. */
export async function browserSessionToken(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'aw_session')?.value;
}

// --- raw HTTP ---------------------------------------------------------------------------------

export interface PostOptions {
  /** The Origin header; omitted when undefined. */
  origin?: string;
  referer?: string;
  /** The aw_session token to send as a cookie. */
  session?: string;
  headers?: Record<string, string>;
}

/** An urlencoded form POST with exactly the given headers (Node's fetch adds no Origin or Referer); redirects are not followed. */
export function formPost(url: string, fields: Record<string, string | string[]>, options: PostOptions = {}): Promise<globalThis.Response> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.origin !== undefined) headers.origin = options.origin;
  if (options.referer !== undefined) headers.referer = options.referer;
  if (options.session !== undefined) headers.cookie = `aw_session=${options.session}`;
  return fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
}

/** A GET with an optional session cookie; redirects are not followed. */
export function get(url: string, session?: string, headers: Record<string, string> = {}): Promise<globalThis.Response> {
  return fetch(url, { headers: { ...(session ? { cookie: `aw_session=${session}` } : {}), ...headers }, redirect: 'manual' });
}

/** The value a response's Set-Cookie gives `name` ('' when it deletes it), or undefined. */
export function setCookieValue(response: globalThis.Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) return /expires=thu, 01 jan 1970/i.test(line) ? '' : pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Logs in with a same-origin form post and returns the new session token. */
export async function loginViaHttp(origin: string, moderator: Pick<Moderator, 'email' | 'password'>, headers: Record<string, string> = {}): Promise<string> {
  const response = await formPost(`${origin}/admin/login?_action=admin.login`, { email: moderator.email, password: moderator.password }, { origin, headers });
  expect(response.status, 'login answers 303').toBe(303);
  const token = setCookieValue(response, 'aw_session');
  expect(token, 'login sets aw_session').toBeTruthy();
  return token!;
}

/** Whether a session token grants access to the queue (200) or is sent to the login (302). */
export async function sessionIsValid(origin: string, token: string): Promise<boolean> {
  const response = await get(`${origin}/admin`, token);
  if (response.status === 200) return true;
  expect(response.status, 'GET /admin without a valid session redirects').toBe(302);
  expect(response.headers.get('location')).toMatch(/\/admin\/login$/);
  return false;
}

/** The signed form token the post page hands out (so an HTTP-posted comment is not treated as a bot). */
export async function formToken(origin: string, slug: string): Promise<string> {
  const html = await (await fetch(`${origin}/posts/${slug}`)).text();
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no form token on /posts/${slug}`);
  return token;
}

/** Posts a comment over HTTP (same origin, valid form token) and returns its id. */
export async function commentViaHttp(origin: string, slug: string, fields: { name?: string; email?: string; comment: string; website?: string; parent?: number }): Promise<number> {
  const id = uid();
  const response = await formPost(
    `${origin}/posts/${slug}?_action=comments.submit`,
    {
      post: slug,
      token: await formToken(origin, slug),
      name: fields.name ?? `Reader ${id}`,
      email: fields.email ?? `reader.${id}@example.com`,
      website: fields.website ?? '',
      comment: fields.comment,
      ...(fields.parent ? { parent: String(fields.parent) } : {}),
    },
    { origin },
  );
  expect(response.status, 'a valid comment answers 303').toBe(303);
  const location = response.headers.get('location') ?? '';
  const match = /#comment-(\d+)$/.exec(location);
  expect(match, `redirected to the new comment (${location})`).toBeTruthy();
  return Number(match![1]);
}

// --- the comment form -------------------------------------------------------------------------

export interface CommentFields {
  name: string;
  email: string;
  website?: string;
  comment: string;
}

/**
 * A field of the comment form by its label. The labels read "Name *" with the star aria-hidden,
 * so the field is found by its accessible name (which is the label without the star).
 */
export function commentField(page: Page, label: 'Name' | 'Email' | 'Website' | 'Comment') {
  return page.locator('form#respond').getByRole('textbox', { name: label, exact: true });
}

/** Fills the comment form of the page that is open (labels Name, Email, Website, Comment). */
export async function fillCommentForm(page: Page, fields: CommentFields): Promise<void> {
  await commentField(page, 'Name').fill(fields.name);
  await commentField(page, 'Email').fill(fields.email);
  await commentField(page, 'Website').fill(fields.website ?? '');
  await commentField(page, 'Comment').fill(fields.comment);
}

/** Clicks "Post comment" on the open page and waits for the page the browser then shows. */
export async function clickPostComment(page: Page): Promise<void> {
  const loaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page.locator('form#respond').getByRole('button', { name: 'Post comment', exact: true }).click();
  await loaded;
  await page.waitForLoadState('domcontentloaded');
}

/**
 * Submits a comment through the real form of `/posts/<slug>` (or of the page already open when
 * `slug` is undefined, e.g. a `?replyto=` page) and returns the new comment's id.
 */
export async function submitCommentViaForm(page: Page, slug: string | undefined, fields: CommentFields): Promise<number> {
  if (slug !== undefined) await page.goto(`/posts/${slug}`);
  await fillCommentForm(page, fields);
  await clickPostComment(page);
  await expect(page, 'a valid comment lands at #comment-<id>').toHaveURL(/#comment-\d+$/);
  return Number(/#comment-(\d+)$/.exec(page.url())![1]);
}

// --- moderation through the UI ----------------------------------------------------------------

/** The queue row of comment `id` (`<tr id="row-<id>">`). */
export function queueRow(page: Page, id: number) {
  return page.locator(`#row-${id}`);
}

/**
 * Approves comment `id` with its row's "Approve" button in the pending queue, searched by
 * `search` (a text of the comment, its author or email) so the row is on the first page.
 */
export async function approveViaAdmin(page: Page, id: number, search: string): Promise<void> {
  await page.goto(`/admin?status=pending&q=${encodeURIComponent(search)}`);
  await queueRow(page, id).getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page).toHaveURL(/[?&]done=approve/);
  expect(commentRow(id)?.status, `comment ${id} is approved`).toBe('approved');
}

// --- the database (read-only looks, plus setup rows) ------------------------------------------

/** A row of the comments table as SQLite returns it (snake_case columns). */
export interface CommentRow {
  id: number;
  post_slug: string;
  parent_id: number | null;
  status: string;
  author_name: string;
  author_email: string;
  author_url: string | null;
  body_source: string;
  body_html: string;
  moderator_id: number | null;
  client_hash: string | null;
  decision_reason: string | null;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

export function commentRow(id: number, databasePath?: string): CommentRow | undefined {
  return withDb((db) => db.prepare('select * from comments where id = ?').get(id) as CommentRow | undefined, databasePath);
}

export function commentsWhere(sqlCondition: string, params: unknown[] = [], databasePath?: string): CommentRow[] {
  return withDb((db) => db.prepare(`select * from comments where ${sqlCondition} order by id`).all(...params) as CommentRow[], databasePath);
}

export function countRows(table: 'sessions' | 'comments' | 'moderation_log', databasePath?: string): number {
  return withDb((db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n, databasePath);
}

/** The stored moderation rules (raw JSON, or null when the defaults are in force). */
export function storedRules(databasePath?: string): string | null {
  return withDb((db) => (db.prepare(`select value from settings where key = 'moderation-rules'`).get() as { value: string } | undefined)?.value ?? null, databasePath);
}

/** Puts the rules back exactly as they were (setup/teardown only). */
export function restoreRules(value: string | null, databasePath?: string): void {
  withDb((db) => {
    if (value === null) db.prepare(`delete from settings where key = 'moderation-rules'`).run();
    else db.prepare(`insert into settings (key, value) values ('moderation-rules', ?) on conflict(key) do update set value = excluded.value`).run(value);
  }, databasePath);
}

/** Whether a session with this token exists server-side (the table keeps the token's SHA-256). */
export function sessionStored(token: string, databasePath?: string): boolean {
  const id = createHash('sha256').update(token).digest('hex');
  return withDb((db) => !!db.prepare('select 1 from sessions where id = ?').get(id), databasePath);
}

// --- privacy ----------------------------------------------------------------------------------

/**
 * The forms in which an email address could leak: as typed, as stored (domain lowercased),
 * lower- and uppercased, URL-encoded, and the MD5 / SHA-1 / SHA-256 hex of each (Gravatar-style).
 */
export function emailFingerprints(email: string): string[] {
  const at = email.lastIndexOf('@');
  const stored = `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
  const forms = [...new Set([email, stored, email.toLowerCase(), email.toUpperCase()])];
  const hashes = forms.flatMap((f) => ['md5', 'sha1', 'sha256'].map((alg) => createHash(alg).update(f).digest('hex')));
  return [...new Set([...forms, ...forms.map(encodeURIComponent), ...hashes])];
}

/** The fingerprints of any of `emails` found in `text` (case-insensitively), for a readable failure. */
export function emailLeaks(text: string, emails: string[]): string[] {
  const haystack = text.toLowerCase();
  return emails.flatMap((email) => emailFingerprints(email).filter((f) => haystack.includes(f.toLowerCase())).map((f) => `${email} as ${f}`));
}
