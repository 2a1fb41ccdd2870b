import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { outgoingMail } from '../schema';

export type MailRow = typeof outgoingMail.$inferSelect;

/** Queues messages for delivery. */
export function enqueueMail(db: Db, messages: { recipient: string; subject: string; textBody: string }[], now: Date): void {
  if (!messages.length) return;
  db.insert(outgoingMail)
    .values(messages.map((m) => ({ ...m, attempts: 0, nextAttemptAt: now, createdAt: now })))
    .run();
}

/** Unsent messages whose next attempt is due. */
export function listDueMail(db: Db, now: Date, limit = 50): MailRow[] {
  return db
    .select()
    .from(outgoingMail)
    .where(and(isNull(outgoingMail.sentAt), lte(outgoingMail.nextAttemptAt, now), sql`${outgoingMail.attempts} < 10`))
    .orderBy(outgoingMail.id)
    .limit(limit)
    .all();
}

/**
 * Takes up to `limit` due messages for sending: in one transaction they are read and their next
 * attempt moved to `claimUntil`, so a second deliverer (another loop, another process) does not
 * send them too. Sending then marks each sent or failed; a crash mid-send retries after `claimUntil`.
 */
export function claimDueMail(db: Db, now: Date, claimUntil: Date, limit = 50): MailRow[] {
  return db.transaction(
    (tx) => {
      const due = listDueMail(tx, now, limit);
      if (due.length) tx.update(outgoingMail).set({ nextAttemptAt: claimUntil }).where(inArray(outgoingMail.id, due.map((m) => m.id))).run();
      return due;
    },
    { behavior: 'immediate' },
  );
}

/** Marks a message delivered. */
export function markMailSent(db: Db, id: number, now: Date): void {
  db.update(outgoingMail).set({ sentAt: now, lastError: null }).where(eq(outgoingMail.id, id)).run();
}

/** Records a failed attempt and when to try again. */
export function markMailFailed(db: Db, id: number, error: string, nextAttemptAt: Date): void {
  db.update(outgoingMail)
    .set({ attempts: sql`${outgoingMail.attempts} + 1`, lastError: error.slice(0, 500), nextAttemptAt })
    .where(eq(outgoingMail.id, id))
    .run();
}
