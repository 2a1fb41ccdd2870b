import { and, desc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { outgoingWebhooks } from '../schema';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/domain/webhooks/webhooks';

export type WebhookDeliveryRow = typeof outgoingWebhooks.$inferSelect;

/** Queues one delivery per URL for an event about a comment. */
export async function enqueueWebhooks(db: Db, deliveries: { url: string; event: string; commentId: number | null; payload: string }[], now: Date): Promise<void> {
  if (!deliveries.length) return;
  db.insert(outgoingWebhooks)
    .values(deliveries.map((d) => ({ ...d, attempts: 0, nextAttemptAt: now, createdAt: now })))
    .run();
}

/** Undelivered webhooks whose next attempt is due (and that have attempts left), oldest first. */
export async function listDueWebhooks(db: Db, now: Date, limit = 50): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(outgoingWebhooks)
    .where(and(isNull(outgoingWebhooks.deliveredAt), lte(outgoingWebhooks.nextAttemptAt, now), lt(outgoingWebhooks.attempts, MAX_DELIVERY_ATTEMPTS)))
    .orderBy(outgoingWebhooks.id)
    .limit(limit)
    .all();
}

/**
 * Takes a due delivery for one attempt: moves its next attempt to `until` unless another run took
 * it first. Only the run that gets true sends it, so two runs never POST the same delivery twice.
 */
export async function claimWebhookDelivery(db: Db, id: number, now: Date, until: Date): Promise<boolean> {
  return (
    db.update(outgoingWebhooks)
      .set({ nextAttemptAt: until })
      .where(and(eq(outgoingWebhooks.id, id), isNull(outgoingWebhooks.deliveredAt), lte(outgoingWebhooks.nextAttemptAt, now)))
      .run().changes === 1
  );
}

/** Records a delivery the receiver accepted (2xx). */
export async function markWebhookDelivered(db: Db, id: number, httpStatus: number, now: Date): Promise<void> {
  db.update(outgoingWebhooks)
    .set({ deliveredAt: now, lastStatus: httpStatus, lastError: null, attempts: sqlIncrement() })
    .where(eq(outgoingWebhooks.id, id))
    .run();
}

/** Records a failed attempt (no answer, or a non-2xx status) and when to try again. */
export async function markWebhookFailed(db: Db, id: number, failure: { httpStatus: number | null; error: string }, nextAttemptAt: Date): Promise<void> {
  db.update(outgoingWebhooks)
    .set({ attempts: sqlIncrement(), lastStatus: failure.httpStatus, lastError: failure.error.slice(0, 300), nextAttemptAt })
    .where(eq(outgoingWebhooks.id, id))
    .run();
}

/** The newest deliveries, for the moderators' delivery log. */
export async function listRecentWebhookDeliveries(db: Db, limit = 20): Promise<WebhookDeliveryRow[]> {
  return db.select().from(outgoingWebhooks).orderBy(desc(outgoingWebhooks.id)).limit(limit).all();
}

function sqlIncrement() {
  return sql`${outgoingWebhooks.attempts} + 1`;
}

/** Deletes deliveries about these comments (their payloads quote the author): for erasure. Returns how many. */
export function deleteWebhooksForCommentsIn(db: Db, commentIds: readonly number[]): number {
  if (!commentIds.length) return 0;
  return db.delete(outgoingWebhooks).where(inArray(outgoingWebhooks.commentId, [...commentIds])).run().changes;
}
