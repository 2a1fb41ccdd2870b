import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DbConnection } from '../../services/context';
import { cachedPageStampReader, LISTING_SCOPE, postScope } from '../../services/page-stamps';
import { brotliAsync, chooseEncoding, gzipAsync, prepareSplicedGzip, spliceGzip, type Encoding, type SplicedGzip } from './compression';
import { SECURITY_HEADERS } from './headers';
import type { FormTokens } from './form-token-pool';
import { isAnonymousRead } from './cacheable';

/**
 * The whole-page cache for anonymous reads of public pages (index, posts, tags, feeds): its one
 * owner, living in the front server (front.ts) on the main thread, while pages are rendered by
 * the app worker. Rendering a post with hundreds of comments costs far more than sending bytes,
 * and the bytes only change when something readers see changes.
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
const STALE_SERVE_MS = 5_000;
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
const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=10';
const FORM_PAGE_CACHE_CONTROL = 'private, no-cache';

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

/** The stamp scope a path depends on: a post's own (its comment pages and comment feed), or the listings' (index, tags, pages, feeds). */
function scopeOf(path: string): string {
  const post = /^\/posts\/([^/?]+)(?:\/comments\/rss\.xml)?\/?(?:\?|$)/.exec(path);
  return post ? postScope(post[1]) : LISTING_SCOPE;
}

/** What a cacheable request should do: use an entry, render (only one request per page at a time), or wait for that render. */
export type Lookup =
  | { kind: 'hit'; entry: Entry }
  /** This request renders the page; it must call `done` whatever happens (later calls do nothing). */
  | { kind: 'render'; stamp: number; done: (stored: boolean) => void }
  /** Another request is rendering this page: wait for it (true when it stored the page). */
  | { kind: 'wait'; rendered: Promise<boolean> };

/** A rendered page as the app worker returned it, with its form token (null when it has no form). */
export interface RenderedPage {
  html: string;
  contentType: string;
  token: { value: string; slug: string } | null;
}

export interface PageCache {
  /**
   * The hot path, first thing for every request: answers an anonymous read from a usable entry
   * (fresh, or stale while its one re-render runs). Entries are keyed by canonical paths, so an
   * exact match needs no other check, and the answer carries the security headers itself.
   * False when the request must go on; on PostgreSQL, where the stamp takes a query shared by
   * the event-loop turn, a promise of that.
   */
  serveIfUsable(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean>;
  lookup(path: string): Promise<Lookup>;
  /**
   * Stores a rendered page, compressed for every encoding first (in zlib's thread pool), so no
   * reader pays for it and the previous version keeps being served meanwhile. `stamp` is the
   * one read *before* rendering, so a change that lands while the page renders leaves the
   * entry stale rather than wrongly fresh.
   */
  store(path: string, stamp: number, page: RenderedPage): Promise<Entry>;
  /** Answers a request from an entry: 200 in the encoding asked for, with a fresh form token, or 304. */
  write(entry: Entry, req: IncomingMessage, res: ServerResponse): void;
}

/** The page cache of one server, reading change stamps from `db`; `tokens` gives the form token put into each page sent. */
export function createPageCache(db: DbConnection, tokens: FormTokens): PageCache {
  const entries = new Map<string, Entry>();
  const rendering = new Map<string, Promise<boolean>>();
  const readStamp = cachedPageStampReader(db);
  const currentStamp = (path: string) => readStamp(scopeOf(path));

  function isFresh(entry: Entry, stamp: number, now: number): boolean {
    if (entry.stamp === stamp && now - entry.renderedAt < MAX_LIFE_MS) return true;
    entry.staleSince ??= now;
    return false;
  }

  /** A stale entry may still be served while its one re-render runs, for a few seconds. */
  function servableWhileRendering(entry: Entry, path: string, now: number): boolean {
    return rendering.has(path) && now - entry.staleSince! <= STALE_SERVE_MS;
  }

  function usable(entry: Entry, stamp: number, path: string): boolean {
    const now = Date.now();
    return isFresh(entry, stamp, now) || servableWhileRendering(entry, path, now);
  }

  function claimRender(path: string, stamp: number): Lookup {
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
        rendering.delete(path);
        finish(stored);
      },
    };
  }

  const write = (entry: Entry, req: IncomingMessage, res: ServerResponse) => writeAnswer(res, answer(entry, tokens, req));

  return {
    serveIfUsable(req, res) {
      const path = req.url ?? '';
      const entry = isAnonymousRead(req.method, path, req.headers.cookie) ? entries.get(path) : undefined;
      if (!entry) return false;
      const serve = (stamp: number) => {
        if (!usable(entry, stamp, path)) return false;
        write(entry, req, res);
        return true;
      };
      const stamp = currentStamp(path);
      return typeof stamp === 'number' ? serve(stamp) : stamp.then(serve);
    },

    async lookup(path) {
      const stamp = await currentStamp(path);
      const entry = entries.get(path);
      if (entry && usable(entry, stamp, path)) return { kind: 'hit', entry };
      const running = rendering.get(path);
      if (running) return { kind: 'wait', rendered: running };
      return claimRender(path, stamp);
    },

    async store(path, stamp, { html, contentType, token }) {
      const cut = token ? html.indexOf(token.value) : -1;
      const head = Buffer.from(cut === -1 ? html : html.slice(0, cut));
      const tail = Buffer.from(cut === -1 ? '' : html.slice(cut + token!.value.length));
      const hash = createHash('sha1').update(head).update(tail).digest('base64url').slice(0, 20);
      const encoded = await (cut === -1
        ? Promise.all([gzipAsync(head), brotliAsync(head)]).then(([gzip, br]) => ({ tokenFor: null, gzip, br }) as const)
        : prepareSplicedGzip(head, tail).then((splicedGzip) => ({ tokenFor: token!.slug, splicedGzip })));
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
    },

    write,
  };
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
/** The security headers every response carries, as a flat list (a cache hit is answered before `applySecurityHeaders` runs). */
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

function answer(entry: Entry, tokens: FormTokens, req: IncomingMessage): Answer {
  const conditions: Conditions = {
    acceptEncoding: req.headers['accept-encoding'],
    ifNoneMatch: req.headers['if-none-match'],
    ifModifiedSince: req.headers['if-modified-since'],
  };
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
    const token = tokens.take(entry.tokenFor, now);
    if (encoding === 'gzip') body = spliceGzip(entry.splicedGzip, token);
    else body = [entry.head, token, entry.tail];
  }
  let length = 0;
  for (const part of body) length += part.length;
  const sized = variant.okSized;
  const headers = sized !== null && sized[sized.length - 1] === String(length) ? sized : (variant.okSized = [...variant.ok, 'Content-Length', String(length)]);
  return { status: 200, headers, body };
}

function writeAnswer(res: ServerResponse, { status, headers, body }: Answer): void {
  // A flat list and no headers set before: Node writes it without building a header object.
  // The last part goes with end(): end() after the writes would add an empty write of its own,
  // which costs a cache hit about a third of its throughput.
  res.writeHead(status, headers);
  if (body.length > 1) res.cork();
  for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
  res.end(body[body.length - 1]);
}
