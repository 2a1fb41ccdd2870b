import { listOwnCommentsOnPost } from '../../../db/queries/comments';
import { listSubscriptionsOfComments } from '../../../db/queries/reply-subscriptions';
import type { DbConnection } from '../../../db/client';
import type { Translator } from '../../i18n';
import { appendToCards, escapeHtml } from '../../render/comment-thread';

/**
 * What only the author sees on their own comments (this browser's signed list of ids): whether
 * reply notifications await confirmation or are on. Added to the shared, cached thread HTML per
 * request.
 */
export async function withOwnCommentControls(db: DbConnection, threadHtml: string, postSlug: string, ownCommentIds: readonly number[], { t }: Translator): Promise<string> {
  const own = await listOwnCommentsOnPost(db, postSlug, ownCommentIds);
  if (!own.length) return threadHtml;
  const subscriptions = await listSubscriptionsOfComments(db, own.map((c) => c.id));
  const additions = new Map<number, string>();
  for (const comment of own) {
    const subscription = subscriptions.get(comment.id);
    if (!subscription || subscription.unsubscribedAt) continue;
    additions.set(comment.id, `<p class="hint own-note">${escapeHtml(t(subscription.confirmedAt ? 'comments.notify.active' : 'comments.notify.pending'))}</p>`);
  }
  return appendToCards(threadHtml, additions);
}
