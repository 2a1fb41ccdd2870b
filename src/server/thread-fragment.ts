import { hasUnpublishedAmong } from '../../db/queries/comments';
import { pageStampReader, postScope } from '../../db/queries/page-stamps';
import type { Db, DbConnection } from '../../db/client';
import type { CommentNode } from '../domain/comments/threading';
import type { PostSummary } from '../domain/posts/posts';
import type { Translator } from '../i18n';
import { renderCommentThread } from '../render/comment-thread';
import { isClosedForComments } from '../domain/comments/rules';
import { loadCommentSection, type CommentSection, type PublicComment } from './comments';
import { getModerationRules } from './moderation-rules';

/**
 * A post's comment section with the thread as HTML. The thread everyone sees (no own pending
 * comments) is kept as a fragment per post while the post's change stamp and its open/closed
 * state are unchanged, so pages the page cache cannot serve (a reply link's `?replyto=`, a
 * returning commenter's personal page, a failed submission) skip the query and the rendering too.
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
  // The stamp is read before the rows: a change landing meanwhile leaves the fragment stale, never wrongly fresh.
  const stamp = shared ? stampOf(db, post.slug) : 0;
  let fragment = shared ? fragments.get(post.slug) : undefined;
  if (!fragment || fragment.stamp !== stamp || fragment.closed !== sectionClosed(db, post, now)) {
    const section = loadCommentSection(db as Db, post, shared ? [] : viewerPendingIds, null, now);
    fragment = {
      stamp,
      closed: section.closed,
      threadHtml: section.tree.length > 0 ? renderCommentThread(section.tree, post.slug, !section.closed, translator) : '',
      hasComments: section.tree.length > 0,
      approvedCount: section.approvedCount,
      replyable: replyableOf(section.tree),
    };
    if (shared) fragments.set(post.slug, fragment);
  }
  const targetName = replyTo === null ? undefined : fragment.replyable.get(replyTo);
  return {
    threadHtml: fragment.threadHtml,
    hasComments: fragment.hasComments,
    approvedCount: fragment.approvedCount,
    closed: fragment.closed,
    replyTarget: targetName === undefined ? null : { id: replyTo!, authorName: targetName },
  };
}
