import { postScope, readPageStamp } from '../../services/page-stamps';
import type { Db, DbConnection } from '../../services/context';
import type { CommentNode } from '../../domain/comments/threading';
import { commentPageQuery, paginateThreads, pageOfThread, threadIndexOf, type CommentOrder, type CommentPageRequest } from '../../domain/comments/pagination';
import type { PostSummary } from '../../domain/posts/posts';
import type { Translator } from '../../i18n';
import { renderCommentThreadBytes, type ThreadLinks } from '../../render/comment-thread';
import { isClosedForComments } from '../../domain/comments/rules';
import { showsReplyLink } from '../../domain/comments/replies';
import { commentSectionFromRows, hasUnpublishedOwnComments, loadOwnThreadRows, loadReplyContext, loadThreadRows, type CommentRow, type CommentSection, type PublicComment } from '../../services/comments';
import { getModerationRules } from '../../services/moderation-rules';

/**
 * A post's comment section with the thread as HTML. The thread everyone sees (no own pending
 * comments) is kept as a fragment per post while the post's change stamp and its open/closed
 * state are unchanged, so pages the page cache cannot serve (a reply link's `?replyto=`, a
 * returning commenter's personal page, a failed submission) skip the query and the rendering too.
 * A commenter with comments awaiting moderation sees everyone's thread plus their own: the
 * fragment's rows and published cards are reused, and only their own rows are read.
 */
export interface ThreadSection extends Omit<CommentSection, 'tree'> {
  /**
   * The thread's HTML as UTF-8, what the page sends: everyone's is encoded once per thread
   * version, a personal one written as bytes from the kept cards, so no page encodes its
   * largest part as text on every render.
   */
  threadBytes: Uint8Array;
  hasComments: boolean;
  /** Which comment page this is (clamped to the last), of how many, in which order. */
  pagination: { page: number; pageCount: number; order: CommentOrder; threadCount: number };
  /**
   * Everyone's threads on this page, in the page's order, for structured data: a personal page
   * describes what everyone sees (and reuses its JSON-LD), never the viewer's pending comments.
   */
  pageTree: readonly CommentNode<PublicComment>[];
  /** For each thread in `pageTree`, the query of its page in the default order (what its permalinks use). */
  permalinkQueries: readonly string[];
}

/** Which comment page to show and how many top-level threads a page holds. */
export interface PageOptions {
  pageRequest?: CommentPageRequest;
  perPage?: number;
  /** The site's secret, which the avatars' colours are keyed with (none without it). */
  avatarSecret?: string;
  /** HTML at the end of the viewer's own comments' cards, by id (their notes and controls: see own-comments.ts). */
  ownControls?: ReadonlyMap<number, string>;
}

/** One comment page of everyone's thread, rendered. */
interface PageFragment {
  threadBytes: Uint8Array;
  hasComments: boolean;
  /** Comments on this page a reader may reply to (approved, not removed), with their author's name. */
  replyable: Map<number, string>;
  pagination: ThreadSection['pagination'];
  pageTree: CommentNode<PublicComment>[];
  /** Where this page's reply links and permalinks point. */
  links: ThreadLinks;
  /** Rendered cards of published comments on this page, by id (see `renderCommentThread`). */
  cards: Map<number, string>;
}

interface Fragment {
  stamp: number;
  closed: boolean;
  approvedCount: number;
  /** The thread rows everyone's thread was built from (`loadThreadRows` without own comments). */
  rows: readonly CommentRow[];
  /** Everyone's thread, oldest first. */
  tree: CommentNode<PublicComment>[];
  /** Rendered comment pages, by page and order (bounded: each post has few pages readers visit). */
  pages: Map<string, PageFragment>;
}

const EMPTY = new Uint8Array(0);

/** Rendered comment pages kept per post at most. */
const MAX_PAGES_PER_POST = 50;

const fragments = new Map<string, Fragment>();
function stampOf(db: DbConnection, slug: string): Promise<number> {
  return readPageStamp(db, postScope(slug));
}

/** Comments close after N days: time alone can change the thread (no reply links, no form). */
async function sectionClosed(db: Db, post: PostSummary, now: Date): Promise<boolean> {
  return isClosedForComments(post, await getModerationRules(db), now);
}

function replyableOf(tree: readonly CommentNode<PublicComment>[]): Map<number, string> {
  const found = new Map<number, string>();
  const stack = [...tree];
  while (stack.length > 0) {
    const { comment, replies } = stack.pop()!;
    if (showsReplyLink(comment)) found.set(comment.id, comment.authorName);
    for (const reply of replies) stack.push(reply);
  }
  return found;
}

export async function loadThreadSection(
  db: DbConnection,
  post: PostSummary,
  viewerPendingIds: readonly number[],
  replyTo: number | null,
  now: Date,
  translator: Translator,
  { pageRequest = { page: 1, order: 'oldest' }, perPage = Number.POSITIVE_INFINITY, avatarSecret, ownControls = new Map() }: PageOptions = {},
): Promise<ThreadSection> {
  // A returning reader whose comments are all published sees everyone's thread.
  const shared = !(await hasUnpublishedOwnComments(db, post.slug, viewerPendingIds));
  const fragment = await sharedFragment(db, post, now, avatarSecret);
  const page = pageFragment(fragment, post, translator, pageRequest, perPage);
  if (shared) {
    // With controls on their own (published) comments, from the page's kept cards.
    const bytes = ownControls.size > 0 && page.hasComments ? renderCommentThreadBytes(page.pageTree, post.slug, !fragment.closed, translator, { links: page.links, cards: page.cards, additions: ownControls }) : page.threadBytes;
    return sectionOf(db, post, now, fragment, page, bytes, page.hasComments, replyTo);
  }
  // The viewer's own pending comments: the same page of their thread (a new thread of theirs may add a page).
  const section = commentSectionFromRows(await personalRows(db, post.slug, fragment.rows, viewerPendingIds), viewerPendingIds, await getModerationRules(db), post, null, now, avatarSecret);
  const personal = paginateThreads(section.tree, pageRequest, perPage);
  const links = linksOf(personal, personal.oldestIndexes, section.tree.length, perPage);
  const reuse = personal.page === page.pagination.page && personal.pageCount === page.pagination.pageCount;
  const bytes = personal.threads.length > 0 ? renderCommentThreadBytes(personal.threads, post.slug, !fragment.closed, translator, { links, cards: reuse ? page.cards : undefined, additions: ownControls }) : EMPTY;
  const personalPage: PageFragment = {
    ...page,
    pagination: { page: personal.page, pageCount: personal.pageCount, order: personal.order, threadCount: section.tree.length },
  };
  return sectionOf(db, post, now, fragment, personalPage, bytes, personal.threads.length > 0, replyTo);
}

/**
 * The address of the comment page that shows comment `id` to this viewer (`/comments/<id>`,
 * and the redirect after a comment is sent), at `#comment-<id>`: its top-level thread's page
 * in the default order. Found in the thread the server already keeps for the post page (a
 * permalink on a 40,000-comment post then costs a lookup, not a reload of every row); a viewer
 * with unpublished comments of their own is located in their own thread, on the page where their
 * comment awaits moderation. Null when the viewer cannot see the comment (pending for someone
 * else, spam, trash, another post's).
 */
export async function locateInThread(
  db: DbConnection,
  post: PostSummary,
  id: number,
  viewerPendingIds: readonly number[],
  { perPage, now, avatarSecret }: { perPage: number; now: Date; avatarSecret: string },
): Promise<string | null> {
  const fragment = await sharedFragment(db, post, now, avatarSecret);
  const tree = (await hasUnpublishedOwnComments(db, post.slug, viewerPendingIds))
    ? // Where a comment sits needs no avatars.
      commentSectionFromRows(await personalRows(db, post.slug, fragment.rows, viewerPendingIds), viewerPendingIds, await getModerationRules(db), post, null, now).tree
    : fragment.tree;
  const index = threadIndexOf(tree, id);
  if (index === -1) return null;
  return `/posts/${post.slug}${commentPageQuery({ page: pageOfThread(index, tree.length, 'oldest', perPage), order: 'oldest' })}#comment-${id}`;
}

/** Where reply links and permalinks of a page point (permalinks: the thread's page in the default order). */
function linksOf(page: { page: number; order: CommentOrder }, oldestIndexes: readonly number[], threadCount: number, perPage: number): ThreadLinks {
  return {
    pageQuery: commentPageQuery(page),
    permalinkQueries: oldestIndexes.map((index) => commentPageQuery({ page: pageOfThread(index, threadCount, 'oldest', perPage), order: 'oldest' })),
  };
}

/** Everyone's thread, from the fragment while it is current, else loaded (and kept). */
async function sharedFragment(db: DbConnection, post: PostSummary, now: Date, avatarSecret: string | undefined): Promise<Fragment> {
  // The stamp is read before the rows: a change landing meanwhile leaves the fragment stale, never wrongly fresh.
  const stamp = await stampOf(db, post.slug);
  const known = fragments.get(post.slug);
  if (known && known.stamp === stamp && known.closed === await sectionClosed(db, post, now)) return known;
  const rows = await loadThreadRows(db, post.slug, []);
  const section = commentSectionFromRows(rows, [], await getModerationRules(db), post, null, now, avatarSecret);
  const fragment: Fragment = { stamp, closed: section.closed, approvedCount: section.approvedCount, rows, tree: section.tree, pages: new Map() };
  fragments.set(post.slug, fragment);
  return fragment;
}

/** One page of everyone's thread, rendered once per thread version. */
function pageFragment(fragment: Fragment, post: PostSummary, translator: Translator, pageRequest: CommentPageRequest, perPage: number): PageFragment {
  const key = `${pageRequest.page}\0${pageRequest.order}\0${perPage}`;
  const known = fragment.pages.get(key);
  if (known) return known;
  const page = paginateThreads(fragment.tree, pageRequest, perPage);
  const links = linksOf(page, page.oldestIndexes, fragment.tree.length, perPage);
  const cards = new Map<number, string>();
  const rendered: PageFragment = {
    threadBytes: page.threads.length > 0 ? renderCommentThreadBytes(page.threads, post.slug, !fragment.closed, translator, { links, cards }) : EMPTY,
    hasComments: page.threads.length > 0,
    replyable: replyableOf(page.threads),
    pagination: { page: page.page, pageCount: page.pageCount, order: page.order, threadCount: fragment.tree.length },
    pageTree: page.threads,
    links,
    cards,
  };
  if (fragment.pages.size >= MAX_PAGES_PER_POST) fragment.pages.delete(fragment.pages.keys().next().value!);
  fragment.pages.set(key, rendered);
  return rendered;
}

/**
 * What `loadThreadRows` would return with the viewer's own comments: everyone's rows with the
 * viewer's own read fresh (a pending comment moves no stamp). Everyone's rows hold every
 * approved comment and every comment that had replies when they were read; an own comment
 * answering one that is neither (a newer thread under a pending comment) needs its parent as
 * a placeholder, so then the full query runs instead.
 */
async function personalRows(db: DbConnection, slug: string, sharedRows: readonly CommentRow[], viewerPendingIds: readonly number[]): Promise<readonly CommentRow[]> {
  const own = await loadOwnThreadRows(db, slug, viewerPendingIds);
  const ownIds = new Set(own.map((row) => row.id));
  const rows = sharedRows.filter((row) => !ownIds.has(row.id));
  const present = new Set(rows.map((row) => row.id));
  for (const row of own) present.add(row.id);
  if (own.some((row) => row.parentId !== null && !present.has(row.parentId))) return loadThreadRows(db, slug, viewerPendingIds);
  return rows.concat(own).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}

async function sectionOf(db: DbConnection, post: PostSummary, now: Date, fragment: Fragment, page: PageFragment, threadBytes: Uint8Array, hasComments: boolean, replyTo: number | null): Promise<ThreadSection> {
  // A reply target on another page (an old link) is still answerable: one lookup finds it.
  const targetName = replyTo === null ? undefined : (page.replyable.get(replyTo) ?? (await loadReplyContext(db as Db, post, replyTo, now)).replyTarget?.authorName);
  return {
    threadBytes,
    hasComments,
    approvedCount: fragment.approvedCount,
    closed: fragment.closed,
    replyTarget: targetName === undefined ? null : { id: replyTo!, authorName: targetName },
    pagination: page.pagination,
    pageTree: page.pageTree,
    permalinkQueries: page.links.permalinkQueries,
  };
}
