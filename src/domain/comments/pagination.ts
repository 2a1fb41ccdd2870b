/**
 * Comment pages: a post's thread is split by top-level thread (a reply always stays on its
 * thread's page), in one of two orders. Pure: the URL form of a page (`?cpage=2&corder=newest`)
 * is decided here, so the post page, the page cache and `/comments/<id>` agree on it.
 */

/** `oldest` (the default): page 1 holds the first threads. `newest`: page 1 holds the latest. */
export type CommentOrder = 'oldest' | 'newest';

export interface CommentPageRequest {
  page: number;
  order: CommentOrder;
}

export const PAGE_PARAM = 'cpage';
export const ORDER_PARAM = 'corder';

/** The highest page number a URL may carry (keeps numbers exact and keys short). */
const MAX_PAGE = 1_000_000;

/**
 * The comment page a URL asks for, and whether it asked in the canonical spelling (`cpage` a
 * plain number above 1, `corder` only `newest`). Anything unreadable means page 1, oldest first.
 */
export function parseCommentPage(params: URLSearchParams): CommentPageRequest & { canonical: boolean } {
  const rawPage = params.getAll(PAGE_PARAM);
  const rawOrder = params.getAll(ORDER_PARAM);
  const pageText = rawPage.length === 1 ? rawPage[0] : '';
  const page = /^[1-9]\d{0,6}$/.test(pageText) ? Math.min(Number(pageText), MAX_PAGE) : 1;
  const order: CommentOrder = rawOrder.length === 1 && rawOrder[0] === 'newest' ? 'newest' : 'oldest';
  const canonical =
    (rawPage.length === 0 || (rawPage.length === 1 && page > 1 && String(page) === pageText)) &&
    (rawOrder.length === 0 || (rawOrder.length === 1 && rawOrder[0] === 'newest'));
  return { page, order, canonical };
}

/** `''`, `?cpage=2`, `?corder=newest` or `?cpage=2&corder=newest`: the one spelling of a page. */
export function commentPageQuery({ page, order }: CommentPageRequest): string {
  const parts: string[] = [];
  if (page > 1) parts.push(`${PAGE_PARAM}=${page}`);
  if (order === 'newest') parts.push(`${ORDER_PARAM}=newest`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Whether a query string is exactly a canonical comment page (the page cache stores only those:
 * any other spelling renders uncached, so junk parameters cannot fill the cache).
 */
export function isCanonicalCommentQuery(search: string): boolean {
  return /^\?(?:cpage=[1-9]\d{0,6}(?:&corder=newest)?|corder=newest)$/.test(search) && !/^\?cpage=1(?:&|$)/.test(search);
}

/** How many pages `threadCount` top-level threads fill (at least 1: an empty thread is one page). */
export function countCommentPages(threadCount: number, perPage: number): number {
  return Math.max(1, Math.ceil(threadCount / Math.max(1, perPage)));
}

export interface CommentPage<T> {
  /** The threads on this page, in the page's order. */
  threads: T[];
  /** For each thread on this page, its 0-based index in `threads` (pinned first, then oldest first; for permalinks). */
  oldestIndexes: number[];
  page: number;
  pageCount: number;
  order: CommentOrder;
}

/**
 * How many threads at the head of `threads` are pinned: `pinnedFirst` puts the threads whose
 * comment a moderator pinned (`comment.pinnedAt` set) there, and they lead in either order.
 */
export function countPinnedThreads(threads: readonly unknown[]): number {
  let count = 0;
  while (count < threads.length && (threads[count] as { comment?: { pinnedAt?: Date | null } } | null)?.comment?.pinnedAt != null) count++;
  return count;
}

/** Where the thread at `index` of `threads` (pinned first, then oldest first) stands in `order`. */
function positionIn(order: CommentOrder, index: number, threadCount: number, pinnedCount: number): number {
  // Newest first reverses only the unpinned threads; the mapping is its own inverse.
  return order === 'oldest' || index < pinnedCount ? index : threadCount - 1 - index + pinnedCount;
}

/**
 * The threads of one page. `threads` are oldest first (as `buildCommentTree` returns them), after
 * the pinned ones (`pinnedFirst`): those stay at the top of page 1 in either order. A page beyond
 * the last is clamped to the last (callers redirect to it).
 */
export function paginateThreads<T>(threads: readonly T[], { page, order }: CommentPageRequest, perPage: number): CommentPage<T> {
  const size = Math.max(1, perPage);
  const pageCount = countCommentPages(threads.length, size);
  const current = Math.min(Math.max(1, page), pageCount);
  const pinnedCount = countPinnedThreads(threads);
  // Page 1 starts at 0 even with no limit (Infinity * 0 is NaN).
  const start = current === 1 ? 0 : (current - 1) * size;
  const end = Math.min(threads.length, start + size);
  const out: T[] = [];
  const oldestIndexes: number[] = [];
  for (let i = start; i < end; i++) {
    const index = positionIn(order, i, threads.length, pinnedCount);
    out.push(threads[index]);
    oldestIndexes.push(index);
  }
  return { threads: out, oldestIndexes, page: current, pageCount, order };
}

/**
 * The page (1-based) that shows the thread at `oldestIndex` (its position in the thread, pinned
 * first, then oldest first) of `threadCount`, `pinnedCount` of them pinned (`countPinnedThreads`).
 */
export function pageOfThread(oldestIndex: number, threadCount: number, order: CommentOrder, perPage: number, pinnedCount = 0): number {
  const size = Math.max(1, perPage);
  const position = positionIn(order, oldestIndex, threadCount, pinnedCount);
  return Math.floor(Math.max(0, position) / size) + 1;
}

/** Where the older and newer neighbours of a page are, given the order (null: none that way). */
export function neighbourPages({ page, order }: CommentPageRequest, pageCount: number): { older: number | null; newer: number | null } {
  const previous = page > 1 ? page - 1 : null;
  const next = page < pageCount ? page + 1 : null;
  return order === 'oldest' ? { older: previous, newer: next } : { older: next, newer: previous };
}

/**
 * The position (oldest first) of the top-level thread that contains comment `id`, or -1 when the
 * tree does not show it. Iterative: deep threads cannot overflow the stack.
 */
export function threadIndexOf<N extends { comment: { id: number }; replies: readonly N[] }>(threads: readonly N[], id: number): number {
  for (let i = 0; i < threads.length; i++) {
    const stack: N[] = [threads[i]];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.comment.id === id) return i;
      for (const reply of node.replies) stack.push(reply);
    }
  }
  return -1;
}
