import { isCanonicalCommentQuery } from '../../domain/comments/pagination';
import { carriesPersonalCookie } from '../cookies/personal';

/**
 * What the front server (front.ts, which owns the page cache) and the app worker (the Astro
 * middleware) agree on about cacheable pages: the one test of whether a request may be
 * answered from or stored in the cache, and the two private headers of a render for the cache.
 */

/**
 * An anonymous GET without a query string (except a post's comment page in its one canonical
 * spelling, `?cpage=2&corder=newest`: the request target is the cache key), outside the admin
 * area and Astro's internal routes (any `aw_` cookie — a commenter's own comments, remembered
 * details, a session — makes a page personal). The app adds its own classification (a public
 * route, no action) before it lets the front store a page.
 */
export function isAnonymousRead(method: string | undefined, target: string, cookie: string | null | undefined): boolean {
  if (method !== 'GET') return false;
  const query = target.indexOf('?');
  if (query !== -1 && !(/^\/posts\/[^/?]+\?/.test(target) && isCanonicalCommentQuery(target.slice(query)))) return false;
  if (target.startsWith('/admin') || target.startsWith('/_')) return false;
  return !carriesPersonalCookie(cookie);
}

/**
 * On a request from the front: `render` (render this page for the cache). On the app's answer:
 * `store` (the page may be kept). The front removes it from what clients send.
 */
export const PAGE_CACHE_HEADER = 'x-afterword-page-cache';
/** On the app's answer to a render for the cache: `<post slug> <token>`, the form token in the page, which the cache replaces per response. */
export const FORM_TOKEN_HEADER = 'x-afterword-form-token';
/** Every private header starts so; the front drops such headers from clients' requests and from the answers it passes on. */
export const PRIVATE_HEADER_PREFIX = 'x-afterword-';
