import { and, desc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { outgoingWebhooks } from '../schema/sqlite';
import type { Db } from '../client';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/domain/webhooks/webhooks';

export type WebhookDeliveryRow = typeof outgoingWebhooks.$inferSelect;

/** Queues one delivery per URL for an event about a comment. */
export async function enqueueWebhooks(db: Db, deliveries: { url: string; event: string; commentId: number | null; payload: string }[], now: Date): Promise<void> {
  const { outgoingWebhooks } = db.tables;
  if (!deliveries.length) return;
  await db.orm.insert(outgoingWebhooks)
    .values(deliveries.map((d) => ({ ...d, attempts: 0, nextAttemptAt: now, createdAt: now })))
    ;
}

/** Undelivered webhooks whose next attempt is due (and that have attempts left), oldest first. */
export async function listDueWebhooks(db: Db, now: Date, limit = 50): Promise<WebhookDeliveryRow[]> {
  const { outgoingWebhooks } = db.tables;
  return db
    .orm.select()
    .from(outgoingWebhooks)
    .where(and(isNull(outgoingWebhooks.deliveredAt), lte(outgoingWebhooks.nextAttemptAt, now), lt(outgoingWebhooks.attempts, MAX_DELIVERY_ATTEMPTS)))
    .orderBy(outgoingWebhooks.id)
    .limit(limit)
    ;
}

/**
 * Takes a due delivery for one attempt: moves its next attempt to `until` unless another run took
 * it first. Only the run that gets true sends it, so two runs never POST the same delivery twice.
 */
export async function claimWebhookDelivery(db: Db, id: number, now: Date, until: Date): Promise<boolean> {
  const { outgoingWebhooks } = db.tables;
  return (
    await db.orm.update(outgoingWebhooks)
      .set({ nextAttemptAt: until })
      .where(and(eq(outgoingWebhooks.id, id), isNull(outgoingWebhooks.deliveredAt), lte(outgoingWebhooks.nextAttemptAt, now)))
      .returning({ id: outgoingWebhooks.id })
  ).length === 1;
}

/** Records a delivery the receiver accepted (2xx). */
export async function markWebhookDelivered(db: Db, id: number, httpStatus: number, now: Date): Promise<void> {
  const { outgoingWebhooks } = db.tables;
  await db.orm.update(outgoingWebhooks)
    .set({ deliveredAt: now, lastStatus: httpStatus, lastError: null, attempts: sqlIncrement(db) })
    .where(eq(outgoingWebhooks.id, id))
    ;
}

/** Records a failed attempt (no answer, or a non-2xx status) and when to try again. */
export async function markWebhookFailed(db: Db, id: number, failure: { httpStatus: number | null; error: string }, nextAttemptAt: Date): Promise<void> {
  const { outgoingWebhooks } = db.tables;
  await db.orm.update(outgoingWebhooks)
    .set({ attempts: sqlIncrement(db), lastStatus: failure.httpStatus, lastError: failure.error.slice(0, 300), nextAttemptAt })
    .where(eq(outgoingWebhooks.id, id))
    ;
}

/** The newest deliveries, for the moderators' delivery log. */
export async function listRecentWebhookDeliveries(db: Db, limit = 20): Promise<WebhookDeliveryRow[]> {
  const { outgoingWebhooks } = db.tables;
  return db.orm.select().from(outgoingWebhooks).orderBy(desc(outgoingWebhooks.id)).limit(limit);
}

function sqlIncrement(db: Db) {
  const { outgoingWebhooks } = db.tables;
  return sql`${outgoingWebhooks.attempts} + 1`;
}

/** Deletes deliveries about these comments (their payloads quote the author): for erasure. Returns how many. */
export async function deleteWebhooksForCommentsIn(db: Db, commentIds: readonly number[]): Promise<number> {
  const { outgoingWebhooks } = db.tables;
  if (!commentIds.length) return 0;
  const deleted = await db.orm.delete(outgoingWebhooks).where(inArray(outgoingWebhooks.commentId, [...commentIds])).returning({ id: outgoingWebhooks.id });
  return deleted.length;
}
