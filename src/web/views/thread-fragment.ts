import { hasUnpublishedAmong, listOwnThreadRows, listThreadRows, type CommentRow } from '../../../db/queries/comments';
import { pageStampReader, postScope } from '../../../db/queries/page-stamps';
import type { Db, DbConnection } from '../../services/context';
import type { CommentNode } from '../../domain/comments/threading';
import type { PostSummary } from '../../domain/posts/posts';
import type { Translator } from '../../i18n';
import { renderCommentThread } from '../../render/comment-thread';
import { isClosedForComments } from '../../domain/comments/rules';
import { commentSectionFromRows, type CommentSection, type PublicComment } from '../../services/comments';
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
  threadHtml: string;
  hasComments: boolean;
}

interface Fragment {
  stamp: number;
  closed: boolean;
  threadHtml: string;
  hasComments: boolean;
  approvedCount: number;
  /** Comments a reader may reply to (approved, not removed), with their author's name. */
  replyable: Map<number, string>;
  /** The thread rows everyone's thread was built from (`listThreadRows` without own comments). */
  rows: readonly CommentRow[];
  /** Rendered cards of published comments, by id (see `renderCommentThread`). */
  cards: Map<number, string>;
}

const fragments = new Map<string, Fragment>();
let reader: { connection: DbConnection; read: (scope: string) => number } | undefined;

function stampOf(db: DbConnection, slug: string): number {
  if (reader?.connection !== db) reader = { connection: db, read: pageStampReader(db) };
  return reader.read(postScope(slug));
}

/** Comments close after N days: time alone can change the thread (no reply links, no form). */
function sectionClosed(db: Db, post: PostSummary, now: Date): boolean {
  return isClosedForComments(post, getModerationRules(db), now);
}

function replyableOf(tree: readonly CommentNode<PublicComment>[]): Map<number, string> {
  const found = new Map<number, string>();
  const stack = [...tree];
  while (stack.length > 0) {
    const { comment, replies } = stack.pop()!;
    if (!comment.pending && !comment.removed) found.set(comment.id, comment.authorName);
    for (const reply of replies) stack.push(reply);
  }
  return found;
}

export function loadThreadSection(db: DbConnection, post: PostSummary, viewerPendingIds: readonly number[], replyTo: number | null, now: Date, translator: Translator): ThreadSection {
  // A returning reader whose comments are all published sees everyone's thread.
  const shared = !hasUnpublishedAmong(db, post.slug, viewerPendingIds);
  const fragment = sharedFragment(db, post, now, translator);
  if (shared) return sectionOf(fragment, fragment.threadHtml, fragment.hasComments, replyTo);
  const section = commentSectionFromRows(personalRows(db, post.slug, fragment.rows, viewerPendingIds), viewerPendingIds, getModerationRules(db), post, null, now);
  const threadHtml = section.tree.length > 0 ? renderCommentThread(section.tree, post.slug, !fragment.closed, translator, fragment.cards) : '';
  return sectionOf(fragment, threadHtml, section.tree.length > 0, replyTo);
}

/** Everyone's thread, from the fragment while it is current, else loaded and rendered (and kept). */
function sharedFragment(db: DbConnection, post: PostSummary, now: Date, translator: Translator): Fragment {
  // The stamp is read before the rows: a change landing meanwhile leaves the fragment stale, never wrongly fresh.
  const stamp = stampOf(db, post.slug);
  const known = fragments.get(post.slug);
  if (known && known.stamp === stamp && known.closed === sectionClosed(db, post, now)) return known;
  const rows = listThreadRows(db as Db, post.slug, []);
  const section = commentSectionFromRows(rows, [], getModerationRules(db), post, null, now);
  const cards = new Map<number, string>();
  const fragment: Fragment = {
    stamp,
    closed: section.closed,
    threadHtml: section.tree.length > 0 ? renderCommentThread(section.tree, post.slug, !section.closed, translator, cards) : '',
    hasComments: section.tree.length > 0,
    approvedCount: section.approvedCount,
    replyable: replyableOf(section.tree),
    rows,
    cards,
  };
  fragments.set(post.slug, fragment);
  return fragment;
}

/**
 * What `listThreadRows` would return with the viewer's own comments: everyone's rows with the
 * viewer's own read fresh (a pending comment moves no stamp). Everyone's rows hold every
 * approved comment and every comment that had replies when they were read; an own comment
 * answering one that is neither (a newer thread under a pending comment) needs its parent as
 * a placeholder, so then the full query runs instead.
 */
function personalRows(db: DbConnection, slug: string, sharedRows: readonly CommentRow[], viewerPendingIds: readonly number[]): readonly CommentRow[] {
  const own = listOwnThreadRows(db as Db, slug, viewerPendingIds);
  const ownIds = new Set(own.map((row) => row.id));
  const rows = sharedRows.filter((row) => !ownIds.has(row.id));
  const present = new Set(rows.map((row) => row.id));
  for (const row of own) present.add(row.id);
  if (own.some((row) => row.parentId !== null && !present.has(row.parentId))) return listThreadRows(db as Db, slug, viewerPendingIds);
  return rows.concat(own).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}

function sectionOf(fragment: Fragment, threadHtml: string, hasComments: boolean, replyTo: number | null): ThreadSection {
  const targetName = replyTo === null ? undefined : fragment.replyable.get(replyTo);
  return {
    threadHtml,
    hasComments,
    approvedCount: fragment.approvedCount,
    closed: fragment.closed,
    replyTarget: targetName === undefined ? null : { id: replyTo!, authorName: targetName },
  };
}
