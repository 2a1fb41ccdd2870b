import type { Db } from '../../db/client';
import { findComments } from '../../db/queries/moderation-queue';
import { insertModerationLog } from '../../db/queries/moderation-log';
import { readSetting, writeSetting, writeSettingIfAbsent } from '../../db/queries/settings';
import { enqueueWebhooks, listRecentWebhookDeliveries, type WebhookDeliveryRow } from '../../db/queries/webhooks';
import { MAX_DELIVERY_ATTEMPTS, buildWebhookPayload, type WebhookEvent } from '../domain/webhooks/webhooks';
import type { Mailer } from './mailer';
import { getModerationRules } from './moderation-rules';
import { WEBHOOK_SECRET_KEY, generateWebhookSecret } from './webhook-delivery';

/** What a payload needs to know about the site: its origin (SITE_URL) and its posts' titles. */
export interface WebhookSite {
  origin: string;
  postTitle(slug: string): string | undefined;
}

/**
 * Queues `event` for these comments to every configured URL, then wakes the outgoing queue.
 * Called after the change is committed; a failure is logged and never reaches the commenter or
 * the moderator (the comment is stored either way). Returns how many deliveries were queued.
 */
export async function queueCommentWebhooks(
  db: Db,
  mailer: Pick<Mailer, 'deliver'>,
  event: WebhookEvent,
  commentIds: readonly number[],
  site: WebhookSite,
  now: Date,
): Promise<number> {
  try {
    const { webhookUrls } = await getModerationRules(db);
    if (!webhookUrls.length || !commentIds.length) return 0;
    await getWebhookSecret(db); // created now if a URL was configured before any secret existed
    const deliveries = (await findComments(db, commentIds)).flatMap((comment) => {
      const status = comment.status === 'approved' ? 'approved' : 'pending';
      const payload = buildWebhookPayload(
        event,
        { id: comment.id, status, parentId: comment.parentId, authorName: comment.authorName, authorUrl: comment.authorUrl, text: comment.bodySource, createdAt: comment.createdAt },
        { slug: comment.postSlug, title: site.postTitle(comment.postSlug) ?? comment.postSlug },
        site.origin,
      );
      return webhookUrls.map((url) => ({ url, event, commentId: comment.id, payload: JSON.stringify(payload) }));
    });
    await enqueueWebhooks(db, deliveries, now);
    void mailer.deliver();
    return deliveries.length;
  } catch (error) {
    console.error(`could not queue webhooks (${event}) for comments ${commentIds.join(', ')}: ${(error as Error).message}`);
    return 0;
  }
}

/** The signing secret, created on first use (a random 32-byte key, shown to moderators on the rules page). */
export async function getWebhookSecret(db: Db): Promise<string> {
  await writeSettingIfAbsent(db, WEBHOOK_SECRET_KEY, generateWebhookSecret());
  return (await readSetting(db, WEBHOOK_SECRET_KEY))!;
}

/** The signing secret if one was created (the rules page shows it; a GET creates nothing). */
export async function readWebhookSecret(db: Db): Promise<string | undefined> {
  return readSetting(db, WEBHOOK_SECRET_KEY);
}

/** Replaces the signing secret (receivers must be given the new one); logged. */
export async function regenerateWebhookSecret(db: Db, moderator: { id: number; name: string }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await writeSetting(tx, WEBHOOK_SECRET_KEY, generateWebhookSecret());
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: 'rules', commentId: null, detail: 'webhook signing secret regenerated', createdAt: now });
  });
}

export type DeliveryState = 'queued' | 'delivered' | 'retrying' | 'failed';

export interface WebhookDelivery {
  id: number;
  url: string;
  event: string;
  commentId: number | null;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  /** When it was delivered, or when the next attempt is due. */
  at: Date;
}

/** The newest deliveries with what happened to them, for the rules page. */
export async function loadWebhookDeliveries(db: Db, limit = 10): Promise<WebhookDelivery[]> {
  return (await listRecentWebhookDeliveries(db, limit)).map((row: WebhookDeliveryRow) => ({
    id: row.id,
    url: row.url,
    event: row.event,
    commentId: row.commentId,
    state: row.deliveredAt ? 'delivered' : row.attempts >= MAX_DELIVERY_ATTEMPTS ? 'failed' : row.attempts === 0 ? 'queued' : 'retrying',
    attempts: row.attempts,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    createdAt: row.createdAt,
    at: row.deliveredAt ?? row.nextAttemptAt,
  }));
}
