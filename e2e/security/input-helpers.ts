import { expect } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { en } from '../fixtures/posts';

/**
 * Helpers of the bad-input, spam, crash and operator specs: raw HTTP with exactly the bytes,
 * headers and client address a test wants (node:http, so nothing is normalised or retried),
 * the signed form token computed the way the server does, read-only looks into SQLite files,
 * and running the operator's commands as a process manager would.
 */

export const ROOT = join(import.meta.dirname, '..', '..');
export const t = en;

/** Posts that accept comments (see content/posts). */
export const OUTAGE = 'sip-trunk-registration-outage';
export const FAILOVER = 'how-we-test-failover';

/** SPEC: one comment per 15 s per client address; a form sent back within 3 s is a bot. */
export const FLOOD_SECONDS = 15;
export const MIN_SECONDS = 3;

import { e2eDatabase, uid, type CommentRow } from './helpers';

export { e2eDatabase, uid };

// --- raw HTTP ---------------------------------------------------------------------------------

export interface RawRequest {
  /** The server's origin, e.g. http://localhost:4399 (used for the Host header). */
  origin: string;
  method?: string;
  /** Sent exactly as given (no normalisation of %-escapes). */
  path: string;
  headers?: Record<string, string>;
  /** The body; sent with a Content-Length unless `chunked`. */
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked and no Content-Length. */
  chunked?: boolean;
  /**
   * Send the headers first and hold the body back until this long has passed without an
   * answer: a server that refuses on the headers alone (e.g. 413 on Content-Length) answers
   * before any of the body is sent.
   */
  holdBodyMs?: number;
  /** Connect from this loopback address (any 127.x.y.z on Linux): one "client" per address. */
  localAddress?: string;
  /** Fail when no complete response arrived within this time. */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request over a fresh connection. A server may answer (e.g. 413) before it has read
 * the whole body and then close the connection: writing stops as soon as the answer starts,
 * and an EPIPE/ECONNRESET after the answer started is not an error.
 */
export function rawRequest(options: RawRequest): Promise<RawResponse> {
  const url = new URL(options.origin);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  return new Promise((resolve, reject) => {
    let settled = false;
    let answered = false;
    const headers: Record<string, string> = { host: url.host, connection: 'close', ...options.headers };
    if (body && !options.chunked) headers['content-length'] = String(body.length);
    if (options.chunked) headers['transfer-encoding'] = 'chunked';
    const request = http.request({
      host: options.localAddress ? '127.0.0.1' : url.hostname,
      port: url.port,
      method: options.method ?? 'GET',
      path: options.path,
      headers,
      localAddress: options.localAddress,
      agent: false,
    });
    const done = (outcome: RawResponse | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(
      () => done(new Error(`no complete response to ${options.method ?? 'GET'} ${options.path.slice(0, 80)} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      const result = () => ({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => done(result()));
      // The server may reset the connection right after a short answer: keep what arrived.
      res.on('close', () => done(result()));
    });
    request.on('error', (e) => {
      if (answered) return; // the response handlers settle it
      // The answer may still be in flight; give it a moment before giving up.
      setTimeout(() => done(e), 200);
    });
    if (!body) {
      request.end();
      return;
    }
    // Write in 16 KiB pieces, respecting back-pressure, and stop once the server has answered.
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !answered && !settled) {
        const piece = body.subarray(offset, offset + 16_384);
        offset += piece.length;
        if (!request.write(piece)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!answered && !settled) request.end();
    };
    if (options.holdBodyMs) {
      request.flushHeaders();
      setTimeout(() => {
        if (!answered && !settled) pump();
      }, options.holdBodyMs);
    } else {
      pump();
    }
  });
}

/** The URL path the comment form posts to (as the form's `action`). */
export function actionPath(slug: string): string {
  return `/posts/${slug}?_action=comments.submit`;
}

/** An urlencoded body from fields (a field given as an array is sent once per value). */
export function urlencoded(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return body.toString();
}

/** A multipart/form-data body with the given boundary. */
export function multipart(boundary: string, fields: [string, string][]): string {
  return (
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${boundary}--\r\n`
  );
}

/** A same-origin urlencoded POST of the comment form (what a browser without JavaScript sends). */
export function postForm(origin: string, slug: string, body: string | Buffer, options: Omit<RawRequest, 'origin' | 'path' | 'body'> = {}): Promise<RawResponse> {
  return rawRequest({
    origin,
    method: 'POST',
    path: actionPath(slug),
    body,
    ...options,
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
  });
}

/** The id in a `Location: /posts/<slug>#comment-<id>` answer, or null. */
export function commentIdFrom(response: { status: number; headers: http.IncomingHttpHeaders }): number | null {
  const location = String(response.headers.location ?? '');
  const match = /#comment-(\d+)$/.exec(location);
  return response.status === 303 && match ? Number(match[1]) : null;
}

// --- the signed form token ---------------------------------------------------------------------

/** The form token the page hands out (`<input name="token">`), and when it was issued. */
export async function servedToken(origin: string, slug: string, localAddress?: string): Promise<{ token: string; issuedAt: number }> {
  const response = await rawRequest({ origin, path: `/posts/${slug}`, localAddress });
  expect(response.status, `GET /posts/${slug}`).toBe(200);
  const token = /name="token" value="([^"]+)"/.exec(response.body)?.[1];
  if (!token) throw new Error(`no form token on /posts/${slug}`);
  return { token, issuedAt: Number(token.split('.')[0]) };
}

/**
 * A form token computed exactly as the server signs one (src/services/tokens.ts):
 * `<issued ms>.<nonce>.<base64url HMAC-SHA256(secret, "form\0<slug>\0<issued ms>\0<nonce>")>`,
 * with a fresh random nonce each call (a token posts one comment).
 */
export function signFormToken(secret: string, slug: string, issuedAt: number): string {
  const issued = String(issuedAt);
  const nonce = randomBytes(12).toString('base64url');
  const mac = createHmac('sha256', secret).update(`form\0${slug}\0${issued}\0${nonce}`).digest('base64url');
  return `${issued}.${nonce}.${mac}`;
}

/** The server secret it generated and keeps in its database (settings key `secret`). */
export function serverSecret(databasePath: string): string {
  const value = withReadonlyDb(databasePath, (db) => (db.prepare(`select value from settings where key = 'secret'`).get() as { value: string } | undefined)?.value);
  if (!value) throw new Error(`no secret in ${databasePath}`);
  // Tolerate a JSON-encoded string, as other settings are stored as JSON.
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
}

/** Valid comment fields for `slug` (fresh, unique author and text), to be varied one thing at a time. */
export type FormFields = { post: string; token: string; name: string; email: string; website: string; comment: string; homepage: string };

export function validFields(slug: string, token: string, label = 'Reader'): FormFields {
  const id = uid();
  return {
    post: slug,
    token,
    name: `${label} ${id}`,
    email: `${label.toLowerCase()}.${id}@example.com`,
    website: '',
    comment: `${label} comment ${id}: a perfectly ordinary remark.`,
    homepage: '',
  };
}

// --- a burst of comments --------------------------------------------------------------------

export interface Writers {
  /** Comments answered with 303 (acknowledged to the commenter), in order. */
  acknowledged: { id: number; text: string }[];
  /** Answers other than 303, and errors, while the writers were meant to run. */
  unexpected: string[];
  /** Stops the writers: `expectFailures` when the server is being killed (errors from then on are expected). */
  stop(expectFailures?: boolean): Promise<void>;
}

/**
 * `count` concurrent loops, each posting valid comments (a fresh form token — a token posts one
 * comment —, author and text each time) as fast as the server answers. For a server without
 * flood control.
 */
export function startWriters(origin: string, slug: string, token: () => string, count: number): Writers {
  const acknowledged: Writers['acknowledged'] = [];
  const unexpected: string[] = [];
  let stopping = false;
  let failuresExpected = false;
  const loop = async (n: number) => {
    while (!stopping) {
      const fields = validFields(slug, token(), `Writer${n}`);
      try {
        const response = await fetch(`${origin}${actionPath(slug)}`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: urlencoded(fields),
          redirect: 'manual',
        });
        await response.arrayBuffer();
        const id = commentIdFrom({ status: response.status, headers: { location: response.headers.get('location') ?? undefined } });
        if (id !== null) acknowledged.push({ id, text: fields.comment });
        else if (!failuresExpected) unexpected.push(`${response.status} ${response.headers.get('location') ?? ''}`);
      } catch (error) {
        if (!failuresExpected) unexpected.push(String((error as Error).cause ?? error));
        return;
      }
    }
  };
  const loops = Array.from({ length: count }, (_, n) => loop(n));
  return {
    acknowledged,
    unexpected,
    async stop(expectFailures = false) {
      failuresExpected ||= expectFailures;
      stopping = true;
      await Promise.all(loops);
    },
  };
}

// --- SQLite, read-only -------------------------------------------------------------------------

export function withReadonlyDb<T>(databasePath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function countComments(databasePath: string): number {
  return withReadonlyDb(databasePath, (db) => (db.prepare('select count(*) as n from comments').get() as { n: number }).n);
}

/** The comments table's rows (one type for both security helper modules). */
export type StoredRow = CommentRow;

export function commentById(databasePath: string, id: number): StoredRow | undefined {
  return withReadonlyDb(databasePath, (db) => db.prepare('select * from comments where id = ?').get(id) as StoredRow | undefined);
}

/** Rows whose text contains `text` (any status). */
export function commentsContaining(databasePath: string, text: string): StoredRow[] {
  return withReadonlyDb(databasePath, (db) => db.prepare('select * from comments where instr(body_source, ?) > 0 order by id').all(text) as StoredRow[]);
}

/** Every text value stored in any column of any table (to prove something is stored nowhere). */
export function everyStoredText(databasePath: string): string[] {
  return withReadonlyDb(databasePath, (db) => {
    const tables = db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[];
    const values: string[] = [];
    for (const { name } of tables) {
      for (const row of db.prepare(`select * from "${name.replace(/"/g, '""')}"`).raw().all() as unknown[][]) {
        for (const value of row) if (value !== null && value !== undefined) values.push(Buffer.isBuffer(value) ? value.toString('latin1') : String(value));
      }
    }
    return values;
  });
}

/**
 * Marks a comment approved (test setup only: a reply needs an approved parent). Writes the one
 * column a moderator's "Approve" changes; the moderation UI itself is tested elsewhere.
 */
export function approveInDb(databasePath: string, id: number): void {
  const db = new Database(databasePath, { fileMustExist: true, timeout: 10_000 });
  try {
    const result = db.prepare(`update comments set status = 'approved', updated_at = ? where id = ?`).run(Date.now(), id);
    if (result.changes !== 1) throw new Error(`approveInDb: no comment ${id}`);
  } finally {
    db.close();
  }
}

const STATUSES = ['pending', 'approved', 'spam', 'trash'];

/** Every row is whole: the NOT NULL fields filled, rendered text present unless erased. */
export function expectNoHalfWrittenRows(databasePath: string): void {
  withReadonlyDb(databasePath, (db) => {
    expect(db.pragma('integrity_check', { simple: true }), 'PRAGMA integrity_check').toBe('ok');
    expect(db.pragma('foreign_key_check'), 'PRAGMA foreign_key_check').toEqual([]);
    const rows = db.prepare('select * from comments').all() as StoredRow[];
    for (const row of rows) {
      const where = `comment ${row.id}`;
      expect(STATUSES, `${where}: status`).toContain(row.status);
      expect(row.post_slug, `${where}: post_slug`).toBeTruthy();
      expect(typeof row.created_at, `${where}: created_at`).toBe('number');
      expect(typeof row.updated_at, `${where}: updated_at`).toBe('number');
      if (row.erased_at === null) {
        expect(row.author_name, `${where}: author_name`).toBeTruthy();
        expect(row.author_email, `${where}: author_email`).toBeTruthy();
        expect(row.body_source, `${where}: body_source`).toBeTruthy();
        expect(row.body_html, `${where}: body_html`).toBeTruthy();
      }
    }
  });
}

// --- commands --------------------------------------------------------------------------------

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> ...args` from the project root, as the npm scripts do. */
export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}


/** SPEC: "Every command exits non-zero with one clear line on stderr when it fails." */
export function expectOneLineFailure(result: CommandResult, what: string): string {
  expect(result.signal, `${what}: ends by itself, not by a signal`).toBeNull();
  expect(result.code, `${what}: exits non-zero\nstderr: ${result.stderr}`).not.toBe(0);
  const line = result.stderr.trim();
  expect(line, `${what}: says why on stderr`).not.toBe('');
  expect(line.split('\n'), `${what}: exactly one line on stderr, got:\n${result.stderr}`).toHaveLength(1);
  expect(line, `${what}: no stack trace`).not.toMatch(/^\s+at /m);
  return line;
}

// --- reading an answered form ----------------------------------------------------------------

/** HTML with the usual entities decoded (for matching messages and values). */
export function decodeHtml(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The values the comment form (`form#respond`) of a page holds, as a browser would fill them in. */
export function formValues(html: string): { name: string; email: string; website: string; comment: string } {
  const form = /<form[^>]*id="respond"[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error('no form#respond in the page');
  const input = (name: string) => {
    const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(form)?.[0] ?? '';
    return decodeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  };
  const textarea = /<textarea[^>]*\bname="comment"[^>]*>([\s\S]*?)<\/textarea>/.exec(form)?.[1] ?? '';
  return { name: input('name'), email: input('email'), website: input('website'), comment: decodeHtml(textarea).replace(/^\n/, '') };
}
