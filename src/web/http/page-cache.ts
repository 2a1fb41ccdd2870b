import { carriesPersonalCookie } from '../cookies/personal';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cachedPageStampReader, LISTING_SCOPE, postScope, type PageStampReader } from '../../services/page-stamps';
import { brotliAsync, chooseEncoding, gzipAsync, prepareSplicedGzip, spliceGzip, type Encoding, type SplicedGzip } from './compression';
import { appSecret, db } from '../app';
import { SECURITY_HEADERS } from './headers';
import { createFormToken } from '../../services/tokens';
import { isCanonicalCommentQuery } from '../../domain/comments/pagination';

/**
 * The whole-page cache for anonymous reads of public pages (index, posts, tags, feeds): its one
 * owner. Rendering a post with hundreds of comments costs far more than sending bytes, and the
 * bytes only change when something readers see changes.
 *
 * - Validity: each page depends on one change stamp in the database (`page_stamps`: the post's
 *   own, or `listing` for pages that count comments), bumped in the same transaction as the
 *   visible change, so writes from the CLI or another process are seen on the next request and
 *   a spam comment, a login or a sent mail invalidate nothing.
 * - No stampede: one request renders a stale page; meanwhile the others get the previous
 *   version (for at most STALE_SERVE_MS) or, with no usable version, wait for that render.
 * - Compression once per version (see compression.ts), validators (ETag, Last-Modified), 304s.
 * - The comment form's token is personal to each response (it records when the form was served
 *   and is single-use), so it is cut out when storing and a fresh one goes into every response.
 */

const MAX_ENTRIES = 500;
/** How long the previous version may be served while its re-render runs. */
export const STALE_SERVE_MS = 5_000;
/** Re-render even without a change now and then: time-based changes (comments closing after N days). */
const MAX_LIFE_MS = 5 * 60_000;
/**
 * A browser's stored copy of a page with a form holds a form token from when it was served; a
 * 304 lets it reuse that token. The ETag of such pages changes every 6 hours, so a revalidated
 * token is never near its 24-hour expiry.
 */
const TOKEN_ETAG_PERIOD_MS = 6 * 60 * 60_000;

/**
 * Cache-Control of anonymous pages. Pages without a form (lists, feeds): a shared cache (a CDN)
 * may keep them 10 s (`s-maxage`); browsers keep them but revalidate every time (`max-age=0`,
 * an unchanged page costs a 304), so a reader sees a new comment count at once. A page with a
 * comment form carries a single-use token: a shared cache would hand one token to many readers
 * (all but the first would be asked to send again), so only the reader's own browser keeps it,
 * revalidating every time.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=10';
export const FORM_PAGE_CACHE_CONTROL = 'private, no-cache';

interface EntryBase {
  stamp: number;
  renderedAt: number;
  /** When a request first found the stamp moved (or the entry too old); null while fresh. */
  staleSince: number | null;
  /** Content hash, the core of the ETag (a re-render with the same bytes keeps it). */
  hash: string;
  lastModified: number;
  contentType: string;
  /** The page before the form token (the whole page when it has no form). */
  head: Buffer;
  /** The page after the form token. */
  tail: Buffer;
}

/** A page without a form is kept in every encoding; one with a form token as gzip with a hole for it (see compression.ts). */
type Entry = EntryBase & ({ tokenFor: null; gzip: Buffer; br: Buffer } | { /** Post slug of the page's comment form. */ tokenFor: string; splicedGzip: SplicedGzip });

const entries = new Map<string, Entry>();
const rendering = new Map<string, Promise<boolean>>();
let readStamp: PageStampReader | undefined;

/**
 * The one test of whether a request may be answered from, or stored in, the page cache: an
 * anonymous GET without a query string (except a post's comment page in its one canonical
 * spelling, `?cpage=2&corder=newest`: the request target is the cache key), outside the admin area and Astro's internal routes
 * (any `aw_` cookie — a commenter's own comments, remembered details, a session — makes a
 * page personal). The middleware adds its classification (`locals.area` public, no action)
 * before storing; the fast path only serves what the middleware stored.
 */
export function isAnonymousRead(method: string | undefined, target: string, cookie: string | null | undefined): boolean {
  if (method !== 'GET') return false;
  const query = target.indexOf('?');
  if (query !== -1 && !(/^\/posts\/[^/?]+\?/.test(target) && isCanonicalCommentQuery(target.slice(query)))) return false;
  if (target.startsWith('/admin') || target.startsWith('/_')) return false;
  return !carriesPersonalCookie(cookie);
}

/** The stamp scope a path depends on: a post's own (its comment pages and comment feed), or the listings' (index, tags, pages, feeds). */
function scopeOf(path: string): string {
  const post = /^\/posts\/([^/?]+)(?:\/comments\/rss\.xml)?\/?(?:\?|$)/.exec(path);
  return post ? postScope(post[1]) : LISTING_SCOPE;
}

/** The page's stamp: known at once on SQLite (see cachedPageStampReader), one shared query per event-loop turn on PostgreSQL. */
export function currentStamp(path: string): number | Promise<number> {
  readStamp ??= cachedPageStampReader(db());
  return readStamp(scopeOf(path));
}

function isFresh(entry: Entry, stamp: number, now: number): boolean {
  if (entry.stamp === stamp && now - entry.renderedAt < MAX_LIFE_MS) return true;
  entry.staleSince ??= now;
  return false;
}

/** A stale entry may still be served while its one re-render runs, for a few seconds. */
function servableWhileRendering(entry: Entry, path: string, now: number): boolean {
  return rendering.has(path) && now - entry.staleSince! <= STALE_SERVE_MS;
}

export type Lookup =
  | { kind: 'hit'; entry: Entry }
  /** This request renders the page; it must call `done` whatever happens. */
  | { kind: 'render'; stamp: number; done: (stored: boolean) => void }
  /** Another request is rendering this page: wait for it (true when it stored the page). */
  | { kind: 'wait'; rendered: Promise<boolean> };

type RenderClaim = Extract<Lookup, { kind: 'render' }>;

/**
 * A render the fast path claimed for the one request it passes on to Astro (see
 * `serveCachedPage`), found again by the middleware's `lookup` through the request's async context.
 */
const claimedRenders = new AsyncLocalStorage<{ path: string; claim: RenderClaim; taken: boolean }>();

/** Marks `path` as being rendered by one request; `done` (idempotent) ends that. */
function claimRender(path: string, stamp: number): RenderClaim {
  let finish!: (stored: boolean) => void;
  const rendered = new Promise<boolean>((resolve) => (finish = resolve));
  rendering.set(path, rendered);
  let finished = false;
  return {
    kind: 'render',
    stamp,
    done: (stored) => {
      if (finished) return;
      finished = true;
      if (rendering.get(path) === rendered) rendering.delete(path);
      finish(stored);
    },
  };
}

/** What a cacheable request should do: use an entry, render (only one at a time per page), or wait. */
export async function lookup(path: string): Promise<Lookup> {
  const claimed = claimedRenders.getStore();
  if (claimed && claimed.path === path && !claimed.taken) {
    claimed.taken = true;
    return claimed.claim;
  }
  const stamp = await currentStamp(path);
  const now = Date.now();
  const entry = entries.get(path);
  if (entry && isFresh(entry, stamp, now)) return { kind: 'hit', entry };
  if (entry && servableWhileRendering(entry, path, now)) return { kind: 'hit', entry };
  const running = rendering.get(path);
  if (running) return { kind: 'wait', rendered: running };
  return claimRender(path, stamp);
}

/**
 * Stores a rendered page, compressed for every encoding first (off the event loop: zlib's
 * thread pool), so no reader's request pays for it and the previous version keeps being served
 * meanwhile. The stamp was read *before* rendering, so a change that lands while the page
 * renders leaves the entry stale rather than wrongly fresh.
 */
export async function storePage(path: string, stamp: number, html: string, contentType: string, token: { value: string; slug: string } | null): Promise<Entry> {
  const cut = token ? html.indexOf(token.value) : -1;
  const head = Buffer.from(cut === -1 ? html : html.slice(0, cut));
  const tail = Buffer.from(cut === -1 ? '' : html.slice(cut + token!.value.length));
  const hash = createHash('sha1').update(head).update(tail).digest('base64url').slice(0, 20);
  const compressed = cut === -1
    ? Promise.all([gzipAsync(head), brotliAsync(head)]).then(([gzip, br]) => ({ tokenFor: null, gzip, br }) as const)
    : prepareSplicedGzip(head, tail).then((splicedGzip) => ({ tokenFor: token!.slug, splicedGzip }));
  const encoded = await compressed;
  const previous = entries.get(path);
  const now = Date.now();
  const entry: Entry = {
    stamp,
    renderedAt: now,
    staleSince: null,
    hash,
    lastModified: previous?.hash === hash ? previous.lastModified : Math.floor(now / 1000) * 1000,
    contentType: contentType === 'text/html' ? 'text/html; charset=utf-8' : contentType,
    head,
    tail,
    ...encoded,
  };
  if (!previous && entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(path, entry);
  return entry;
}

/** A response from an entry (written by either path below). Headers are a flat name, value list. */
interface Answer {
  status: 200 | 304;
  headers: string[];
  body: Buffer[];
}

interface Conditions {
  acceptEncoding: string | null | undefined;
  ifNoneMatch: string | null | undefined;
  ifModifiedSince: string | null | undefined;
}

/** An entry's headers for one encoding and ETag period, built once (a cache hit only adds Content-Length). */
interface Variant {
  period: number;
  etag: string;
  notModified: string[];
  ok: string[];
  /** `ok` with the Content-Length last sent (a form token's length does not change). */
  okSized: string[] | null;
}

const variants = new WeakMap<Entry, Partial<Record<Encoding, Variant>>>();
/** The security headers every response carries, as a flat list (the fast path bypasses the start script's). */
const SECURITY = Object.entries(SECURITY_HEADERS).flat();

function variantOf(entry: Entry, encoding: Encoding, now: number): Variant {
  const period = entry.tokenFor === null ? 0 : Math.floor(now / TOKEN_ETAG_PERIOD_MS);
  let byEncoding = variants.get(entry);
  if (!byEncoding) variants.set(entry, (byEncoding = {}));
  const known = byEncoding[encoding];
  if (known?.period === period) return known;
  const etag = entry.tokenFor === null ? `W/"${entry.hash}"` : `W/"${entry.hash}-${period}"`;
  const validators = ['Cache-Control', entry.tokenFor === null ? PUBLIC_CACHE_CONTROL : FORM_PAGE_CACHE_CONTROL, 'ETag', etag, 'Vary', 'Accept-Encoding'];
  // A page with a form has no Last-Modified: a date alone would let a browser keep a token for ever.
  if (entry.tokenFor === null) validators.push('Last-Modified', new Date(entry.lastModified).toUTCString());
  const notModified = [...SECURITY, ...validators];
  const ok = [...notModified, 'Content-Type', entry.contentType];
  if (encoding !== 'identity') ok.push('Content-Encoding', encoding);
  return (byEncoding[encoding] = { period, etag, notModified, ok, okSized: null });
}

function notModified(entry: Entry, etag: string, { ifNoneMatch, ifModifiedSince }: Conditions): boolean {
  // If-None-Match wins when present (RFC 9110 §13.2.2); weak comparison.
  if (ifNoneMatch) return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.slice(2));
  if (ifModifiedSince && entry.tokenFor === null) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && entry.lastModified <= since;
  }
  return false;
}

function answer(entry: Entry, conditions: Conditions): Answer {
  const now = Date.now();
  const encoding: Encoding = chooseEncoding(conditions.acceptEncoding, entry.tokenFor === null);
  const variant = variantOf(entry, encoding, now);
  if ((conditions.ifNoneMatch || conditions.ifModifiedSince) && notModified(entry, variant.etag, conditions)) {
    return { status: 304, headers: variant.notModified, body: [] };
  }
  let body: Buffer[];
  if (entry.tokenFor === null) {
    body = [encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.head];
  } else {
    const token = Buffer.from(createFormToken(appSecret(), entry.tokenFor, new Date(now)), 'latin1');
    if (encoding === 'gzip') body = spliceGzip(entry.splicedGzip, token);
    else body = [entry.head, token, entry.tail];
  }
  let length = 0;
  for (const part of body) length += part.length;
  const sized = variant.okSized;
  const headers = sized !== null && sized[sized.length - 1] === String(length) ? sized : (variant.okSized = [...variant.ok, 'Content-Length', String(length)]);
  return { status: 200, headers, body };
}

/** The middleware's answer from an entry, as a web Response. */
export function respondFromEntry(entry: Entry, request: Request): Response {
  const { status, headers, body } = answer(entry, {
    acceptEncoding: request.headers.get('accept-encoding'),
    ifNoneMatch: request.headers.get('if-none-match'),
    ifModifiedSince: request.headers.get('if-modified-since'),
  });
  const pairs: [string, string][] = [];
  for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);
  return new Response(status === 304 ? null : new Uint8Array(Buffer.concat(body)), { status, headers: pairs });
}

/**
 * The fast path: answers straight from the Node request when a usable entry exists, before
 * Astro builds a Request and runs the pipeline (that overhead would dominate a cache hit);
 * anything else is passed on (`passOn`: the start script's checks, then Astro). It never
 * renders, but when it finds an entry stale and nobody rendering it, it claims the render for
 * the request it passes on, so the requests right behind it get the previous version instead of
 * all going through Astro to wait for the same render. The start script's server calls it
 * through `globalThis` because the app is a separate bundle, first thing for every request:
 * entries are keyed by canonical paths only, so an exact match needs no other check, and the
 * answer carries the security headers itself.
 */
export function serveCachedPage(req: IncomingMessage, res: ServerResponse, passOn: () => void): void {
  const path = req.url ?? '';
  const entry = isAnonymousRead(req.method, path, req.headers.cookie) ? entries.get(path) : undefined;
  if (!entry) return passOn();
  const stamp = currentStamp(path);
  // SQLite knows the stamp at once; PostgreSQL answers after this turn's shared query.
  if (typeof stamp === 'number') serveEntry(entry, stamp, path, req, res, passOn);
  else void stamp.then((known) => serveEntry(entry, known, path, req, res, passOn), passOn);
}

function serveEntry(entry: Entry, stamp: number, path: string, req: IncomingMessage, res: ServerResponse, passOn: () => void): void {
  const now = Date.now();
  if (!isFresh(entry, stamp, now) && !servableWhileRendering(entry, path, now)) {
    if (rendering.has(path) || now - entry.staleSince! > STALE_SERVE_MS) return passOn();
    const claim = claimRender(path, stamp);
    // Released however the request ends, even one that never reaches the middleware.
    res.once('close', () => claim.done(false));
    return claimedRenders.run({ path, claim, taken: false }, passOn);
  }
  const { status, headers, body } = answer(entry, {
    acceptEncoding: req.headers['accept-encoding'],
    ifNoneMatch: req.headers['if-none-match'],
    ifModifiedSince: req.headers['if-modified-since'],
  });
  // A flat list and no headers set before: Node writes it without building a header object.
  res.writeHead(status, headers);
  if (body.length <= 1) res.end(body[0]);
  else {
    res.cork();
    for (const part of body) res.write(part);
    res.end();
  }
}

/** How the start script's server finds the fast path inside the app bundle. */
export const PAGE_CACHE_HOOK = Symbol.for('afterword.serveCachedPage');
(globalThis as Record<symbol, unknown>)[PAGE_CACHE_HOOK] = serveCachedPage;
