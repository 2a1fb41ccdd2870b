import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { newModerator } from './fixtures/admin';
import { commentCountText, commenter, listedPostCount, parseCommentCount, t, unique } from './fixtures/comments';
import { sharedDatabase } from './fixtures/db';
import { post } from './fixtures/posts';

/**
 * The page cache (issue 11), seen from outside: after each kind of change readers can see, the
 * next anonymous read shows exactly that change; writes readers cannot see leave cached pages
 * (and their validators) alone; revalidation answers 304; compressed pages decompress to the
 * same page with a fresh, working form token.
 */

const QOS = 'qos-for-voip-on-office-networks';
const QOS_PATH = `/posts/${QOS}`;
const TAG_PATH = `/tags/${post(QOS).tags[0]}`;
const root = join(import.meta.dirname, '..');

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An anonymous GET as sent on the wire (no cookies, no automatic decompression). */
function rawGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, origin), { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function read(origin: string, path: string) {
  const response = await rawGet(origin, path);
  expect(response.status).toBe(200);
  expect(response.headers.etag).toMatch(/^W\/".+"$/);
  return { html: response.body.toString('utf8'), etag: String(response.headers.etag) };
}

const tokenIn = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
const withoutToken = (html: string) => html.replace(/name="token" value="[^"]+"/, 'name="token" value=""');

/** Posts a comment as an anonymous reader would, with the token of an anonymous (cached) page. */
async function postComment(origin: string, fields: Record<string, string>): Promise<number> {
  const { html } = await read(origin, QOS_PATH);
  const response = await fetch(`${origin}${QOS_PATH}?_action=comments.submit`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ post: QOS, token: tokenIn(html), ...fields }),
  });
  expect(response.status).toBe(303);
  return Number(/#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1]);
}

let session: Promise<string> | undefined;
function moderatorSession(origin: string): Promise<string> {
  session ??= (async () => {
    const account = await newModerator(sharedDatabase(), 'Cache Mod');
    const response = await fetch(`${origin}/admin/login?_action=admin.login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: account.email, password: account.password }),
    });
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  })();
  return session;
}

/** A moderator's form post (the queue's buttons, the edit and reply forms). */
async function moderate(origin: string, path: string, fields: Record<string, string>): Promise<void> {
  const response = await fetch(origin + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin, Cookie: await moderatorSession(origin), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  expect(response.status, `${path} ${JSON.stringify(fields)}`).toBeLessThan(400);
}

/** Runs one of the operator's npm commands against the shared database; resolves with its output. */
function cli(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: sharedDatabase(), ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited ${code}: ${output}`))));
  });
}

/** The approved-comment count in the thread's heading ("5 comments", or just "Comments" with none). */
const countOnPost = (html: string) => {
  const heading = /<h2 id="comments-title">([^<]*)<\/h2>/.exec(html)?.[1] ?? '';
  return heading === t['comments.title'] ? 0 : parseCommentCount(heading);
};

test.describe('page cache', () => {
  test('after each change readers can see, the next anonymous read shows exactly it', async ({ baseURL, page }) => {
    const origin = baseURL!;
    test.setTimeout(90_000);
    const reader = commenter('Cached');
    const text = unique('First words ');
    const id = await postComment(origin, { ...reader, comment: text });
    const warm = await read(origin, QOS_PATH);
    const count = countOnPost(warm.html);
    expect(warm.html).not.toContain(text);

    // Publish: the post, and the tag page that counts its comments.
    await page.goto(TAG_PATH);
    const listed = parseCommentCount(await listedPostCount(page, post(QOS).title).innerText());
    await moderate(origin, '/admin?_action=admin.moderate', { do: `approve:${id}` });
    let now = await read(origin, QOS_PATH);
    expect(now.html).toContain(text);
    expect(countOnPost(now.html)).toBe(count + 1);
    await page.goto(TAG_PATH);
    await expect(listedPostCount(page, post(QOS).title)).toHaveText(commentCountText(listed + 1));

    // Edit.
    const edited = unique('Corrected words ');
    await moderate(origin, `/admin/comments/${id}?_action=admin.edit`, { id: String(id), name: reader.name, website: '', comment: edited });
    now = await read(origin, QOS_PATH);
    expect(now.html).toContain(edited);
    expect(now.html).not.toContain(text);

    // A moderator's reply.
    const reply = unique('Answer from the site ');
    await moderate(origin, `/admin/comments/${id}?_action=admin.reply`, { id: String(id), comment: reply });
    now = await read(origin, QOS_PATH);
    expect(now.html).toContain(reply);
    expect(countOnPost(now.html)).toBe(count + 2);

    // Unpublish: the comment goes; its visible reply keeps a "comment removed" placeholder.
    await moderate(origin, '/admin?_action=admin.moderate', { do: `unapprove:${id}` });
    now = await read(origin, QOS_PATH);
    expect(now.html).not.toContain(edited);
    expect(now.html).toContain(t['comments.removed']);
    expect(countOnPost(now.html)).toBe(count + 1);

    // Erase from the command line (another process writing the database).
    const eraseMe = commenter('Erased');
    const eraseText = unique('Words to erase ');
    const eraseId = await postComment(origin, { ...eraseMe, comment: eraseText });
    await moderate(origin, '/admin?_action=admin.moderate', { do: `approve:${eraseId}` });
    expect((await read(origin, QOS_PATH)).html).toContain(eraseText);
    await cli('scripts/commenter.ts', ['erase', eraseMe.email]);
    now = await read(origin, QOS_PATH);
    expect(now.html).not.toContain(eraseText);
    expect(now.html).toContain(`id="comment-${eraseId}"`);

    // Import from the command line.
    const imported = unique('Imported from WordPress ');
    const dir = mkdtempSync(join(tmpdir(), 'afterword-import-'));
    const file = join(dir, 'export.xml');
    writeFileSync(file, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item>
<wp:post_name><![CDATA[${QOS}]]></wp:post_name><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:comment><wp:comment_id>${Date.now()}</wp:comment_id><wp:comment_author><![CDATA[Old Reader]]></wp:comment_author>
<wp:comment_author_email><![CDATA[old.reader@example.com]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[2024-03-01 09:15:00]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[${imported}]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved>
<wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment></item></channel></rss>`);
    await cli('scripts/import-wordpress.ts', [file]);
    expect((await read(origin, QOS_PATH)).html).toContain(imported);
  });

  test('a pending or spam comment leaves cached pages alone: same validators, 304 on revalidation', async ({ baseURL }) => {
    const origin = baseURL!;
    const before = { post: await read(origin, QOS_PATH), tag: await read(origin, TAG_PATH), index: await read(origin, '/') };

    const pending = unique('Waiting for a moderator ');
    await postComment(origin, { ...commenter('Pending'), comment: pending });
    const spam = unique('Cheap pills ');
    await postComment(origin, { ...commenter('Bot'), comment: spam, homepage: 'http://spam.example/' });

    const after = { post: await read(origin, QOS_PATH), tag: await read(origin, TAG_PATH), index: await read(origin, '/') };
    expect(after.post.etag).toBe(before.post.etag);
    expect(after.tag.etag).toBe(before.tag.etag);
    expect(after.index.etag).toBe(before.index.etag);
    expect(after.post.html).not.toContain(pending);
    expect(after.post.html).not.toContain(spam);
    const revalidated = await rawGet(origin, QOS_PATH, { 'If-None-Match': before.post.etag });
    expect(revalidated.status).toBe(304);
  });

  test('revalidation: 304 without a body while unchanged, the new page once it changed', async ({ baseURL }) => {
    const origin = baseURL!;
    const first = await rawGet(origin, TAG_PATH);
    expect(first.headers['cache-control']).toMatch(/public/);
    const byTag = await rawGet(origin, TAG_PATH, { 'If-None-Match': String(first.headers.etag) });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    const byDate = await rawGet(origin, TAG_PATH, { 'If-Modified-Since': String(first.headers['last-modified']) });
    expect(byDate.status).toBe(304);

    const postPage = await rawGet(origin, QOS_PATH);
    expect(postPage.headers['cache-control']).toBe('private, no-cache');
    const id = await postComment(origin, { ...commenter('Changer'), comment: unique('A change ') });
    await moderate(origin, '/admin?_action=admin.moderate', { do: `approve:${id}` });
    const changed = await rawGet(origin, QOS_PATH, { 'If-None-Match': String(postPage.headers.etag) });
    expect(changed.status).toBe(200);
    expect(changed.body.toString()).toContain(`id="comment-${id}"`);
    expect(changed.headers.etag).not.toBe(postPage.headers.etag);

    // Personal pages are never validated nor stored.
    const personal = await rawGet(origin, QOS_PATH, { Cookie: 'aw_own=1.x', 'If-None-Match': String(changed.headers.etag) });
    expect(personal.status).toBe(200);
    expect(personal.headers['cache-control']).toBe('private, no-store');
    expect(personal.headers.etag).toBeUndefined();
  });

  test('cache hits and 304s carry the same security headers as a rendered page', async ({ baseURL }) => {
    const origin = baseURL!;
    // A personal page is always rendered by the app; an anonymous one comes from the cache.
    const rendered = await rawGet(origin, QOS_PATH, { Cookie: 'aw_own=1.x' });
    await rawGet(origin, QOS_PATH);
    const hit = await rawGet(origin, QOS_PATH, { 'Accept-Encoding': 'gzip' });
    const notModified = await rawGet(origin, QOS_PATH, { 'If-None-Match': String(hit.headers.etag) });
    expect(notModified.status).toBe(304);
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'permissions-policy']) {
      expect(rendered.headers[name], `rendered: ${name}`).toBeTruthy();
      expect(hit.headers[name], `cache hit: ${name}`).toBe(rendered.headers[name]);
      expect(notModified.headers[name], `304: ${name}`).toBe(rendered.headers[name]);
    }
  });

  test('compressed pages decompress to the same page, each with a fresh form token that works', async ({ baseURL, browser }) => {
    const origin = baseURL!;
    const plain = await rawGet(origin, QOS_PATH);
    const gzipped = await rawGet(origin, QOS_PATH, { 'Accept-Encoding': 'br, gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('Accept-Encoding');
    expect(gzipped.headers['content-type']).toBe('text/html; charset=utf-8');
    const unzipped = gunzipSync(gzipped.body).toString('utf8');
    expect(withoutToken(unzipped)).toBe(withoutToken(plain.body.toString('utf8')));
    expect(tokenIn(unzipped)).not.toBe(tokenIn(plain.body.toString('utf8')));
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);

    const list = await rawGet(origin, '/', { 'Accept-Encoding': 'br' });
    expect(list.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(list.body).toString('utf8')).toBe((await rawGet(origin, '/')).body.toString('utf8'));

    // A browser (it asks for br and gzip) reads the compressed page and posts with its token.
    const context = await browser.newContext({ baseURL: origin, javaScriptEnabled: false });
    const reader = await context.newPage();
    const response = await reader.goto(QOS_PATH);
    expect(await response!.headerValue('content-encoding')).toBe('gzip');
    const text = unique('Sent from a compressed page ');
    const who = commenter('Compressed');
    await reader.getByRole('textbox', { name: t['form.name'], exact: true }).fill(who.name);
    await reader.getByRole('textbox', { name: t['form.email'], exact: true }).fill(who.email);
    await reader.getByRole('textbox', { name: t['form.comment'], exact: true }).fill(text);
    await reader.getByRole('button', { name: t['form.submit'], exact: true }).click();
    await expect(reader).toHaveURL(/#comment-\d+$/);
    await expect(reader.getByText(text)).toBeVisible();
    await expect(reader.getByText(t['comments.awaiting'])).toBeVisible();
    // Their own page now (their comment awaits moderation): rendered for them, and compressed too.
    const personal = await reader.goto(QOS_PATH);
    expect(await personal!.headerValue('content-encoding')).toBe('br');
    expect(await personal!.headerValue('cache-control')).toBe('private, no-store');
    await expect(reader.getByText(text)).toBeVisible();
    await context.close();

    // Admin pages are never compressed: they show what strangers sent beside what is private.
    const login = await rawGet(origin, '/admin/login', { 'Accept-Encoding': 'br, gzip' });
    expect(login.status).toBe(200);
    expect(login.headers['content-encoding']).toBeUndefined();
  });
});
