import type { IncomingMessage, ServerResponse } from 'node:http';
import { appSecret } from './app-secret';
import { db } from './db';
import { createFormToken } from './tokens';

/**
 * A whole-page cache for anonymous GETs of public pages (index, posts, tags, feeds).
 * Rendering a post with hundreds of comments costs far more than sending bytes, and the
 * bytes only change when the database does. An entry is valid while the database's change
 * stamp is unchanged: `total_changes()` counts this process's writes, `PRAGMA data_version`
 * moves when another process (the CLI) commits. The comment form's token is personal to each
 * response (it records when the form was served), so it is cut out when storing and a fresh
 * one is put in on every hit.
 */

const MAX_ENTRIES = 500;

interface Entry {
  stamp: string;
  /** The page before the form token (the whole page when it has no form). */
  head: Buffer;
  /** The page after the form token. */
  tail: Buffer;
  headers: [string, string][];
  /** Post slug when the page carries a comment form token. */
  tokenFor: string | null;
}

const entries = new Map<string, Entry>();
let stampStatements: { totalChanges: { pluck(): { get(): unknown } }; dataVersion: { pluck(): { get(): unknown } } } | undefined;

/** The database's change stamp: moves on every committed write, from this process or another. */
export function currentStamp(): string {
  stampStatements ??= {
    totalChanges: db().$client.prepare('select total_changes()'),
    dataVersion: db().$client.prepare('pragma data_version'),
  };
  return `${stampStatements.dataVersion.pluck().get()}:${stampStatements.totalChanges.pluck().get()}`;
}

/** Anonymous GET of a public path without a query string (commenter cookies make a page personal). */
function isCacheable(method: string | undefined, path: string, cookie: string | undefined | null): boolean {
  if (method !== 'GET' || path.includes('?')) return false;
  if (path.startsWith('/admin') || path.startsWith('/_')) return false;
  return !cookie || !/(?:^|;\s*)aw_/.test(cookie);
}

export function isCacheableRequest(request: Request, url: URL): boolean {
  return isCacheable(request.method, url.pathname + url.search, request.headers.get('cookie'));
}

function validEntry(path: string): Entry | undefined {
  const entry = entries.get(path);
  if (entry && entry.stamp !== currentStamp()) {
    entries.delete(path);
    return undefined;
  }
  return entry;
}

function bodyOf(entry: Entry): Buffer {
  if (entry.tokenFor === null) return entry.head;
  return Buffer.concat([entry.head, Buffer.from(createFormToken(appSecret(), entry.tokenFor, new Date())), entry.tail]);
}

/** The cached page for a request as a web Response, or null. */
export function readCachedPage(path: string): Response | null {
  const entry = validEntry(path);
  return entry ? new Response(new Uint8Array(bodyOf(entry)), { status: 200, headers: entry.headers }) : null;
}

/**
 * The fast path: answers straight from the Node request when a valid entry exists, before
 * Astro builds a Request and runs the pipeline (that overhead would dominate a cache hit).
 * The start script's server calls it through `globalThis` because the app is a separate bundle.
 */
export function serveCachedPage(req: IncomingMessage, res: ServerResponse): boolean {
  if (!isCacheable(req.method, req.url ?? '', req.headers.cookie)) return false;
  const entry = validEntry(req.url!);
  if (!entry) return false;
  const body = bodyOf(entry);
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  res.setHeader('Content-Length', body.length);
  res.end(body);
  return true;
}

/**
 * Stores a rendered page. The caller takes the stamp *before* rendering, so a write that
 * lands while the page renders leaves the entry stale rather than wrongly fresh.
 */
export function storeCachedPage(path: string, stamp: string, html: string, headers: Headers, token: { value: string; slug: string } | null): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const cut = token ? html.indexOf(token.value) : -1;
  entries.set(path, {
    stamp,
    head: Buffer.from(cut === -1 ? html : html.slice(0, cut)),
    tail: Buffer.from(cut === -1 ? '' : html.slice(cut + token!.value.length)),
    headers: [...headers.entries()].filter(([name]) => name !== 'set-cookie'),
    tokenFor: cut === -1 ? null : token!.slug,
  });
}

/** How the start script's server finds the fast path inside the app bundle. */
export const PAGE_CACHE_HOOK = Symbol.for('afterword.serveCachedPage');
(globalThis as Record<symbol, unknown>)[PAGE_CACHE_HOOK] = serveCachedPage;
