import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { outgoingMail } from '../schema/sqlite';
import type { Db } from '../client';

export type MailRow = typeof outgoingMail.$inferSelect;

/** Queues messages for delivery. */
export async function enqueueMail(db: Db, messages: { recipient: string; subject: string; textBody: string }[], now: Date): Promise<void> {
  const { outgoingMail } = db.tables;
  if (!messages.length) return;
  await db.orm.insert(outgoingMail)
    .values(messages.map((m) => ({ ...m, attempts: 0, nextAttemptAt: now, createdAt: now })))
    ;
}

/** Unsent messages whose next attempt is due. */
export async function listDueMail(db: Db, now: Date, limit = 50): Promise<MailRow[]> {
  const { outgoingMail } = db.tables;
  return db
    .orm.select()
    .from(outgoingMail)
    .where(and(isNull(outgoingMail.sentAt), lte(outgoingMail.nextAttemptAt, now), sql`${outgoingMail.attempts} < 10`))
    .orderBy(outgoingMail.id)
    .limit(limit)
    ;
}

/**
 * Takes up to `limit` due messages for sending: in one transaction they are read and their next
 * attempt moved to `claimUntil`, so a second deliverer (another loop, another process) does not
 * send them too. Sending then marks each sent or failed; a crash mid-send retries after `claimUntil`.
 */
export async function claimDueMail(db: Db, now: Date, claimUntil: Date, limit = 50): Promise<MailRow[]> {
  const { outgoingMail } = db.tables;
  return db.transaction(
    async (tx) => {
      const due = await listDueMail(tx, now, limit);
      if (due.length) await tx.orm.update(outgoingMail).set({ nextAttemptAt: claimUntil }).where(inArray(outgoingMail.id, due.map((m) => m.id)));
      return due;
    },
  );
}

/** Marks a message delivered. */
export async function markMailSent(db: Db, id: number, now: Date): Promise<void> {
  const { outgoingMail } = db.tables;
  await db.orm.update(outgoingMail).set({ sentAt: now, lastError: null }).where(eq(outgoingMail.id, id));
}

/** Records a failed attempt and when to try again. */
export async function markMailFailed(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  const { outgoingMail } = db.tables;
  await db.orm.update(outgoingMail)
    .set({ attempts: sql`${outgoingMail.attempts} + 1`, lastError: error.slice(0, 500), nextAttemptAt })
    .where(eq(outgoingMail.id, id))
    ;
}
