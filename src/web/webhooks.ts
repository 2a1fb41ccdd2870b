import type { Db } from '../../db/client';
import { queueCommentWebhooks } from '../services/webhooks';
import { app } from './app';
import { listPosts } from './content/posts';

/**
 * Announces comments a moderator just made public (`comment.published`), with their posts'
 * titles from the content collection (which services cannot read). Never throws.
 */
export async function announcePublished(connection: Db, commentIds: readonly number[], now: Date): Promise<void> {
  if (!commentIds.length) return;
  const titles = new Map((await listPosts()).map((post) => [post.slug, post.title]));
  const { mailer, config } = app();
  await queueCommentWebhooks(connection, mailer, 'comment.published', commentIds, { origin: config.SITE_URL, postTitle: (slug) => titles.get(slug) }, now);
}
