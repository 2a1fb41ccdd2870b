import { eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { moderators, sessions } from '../schema';

export type SessionRow = typeof sessions.$inferSelect;

export function insertSession(db: Db, row: SessionRow): void {
  db.insert(sessions).values(row).run();
}

/** A session with its moderator, by the hash of its token. */
export function findSessionWithModerator(db: Db, id: string) {
  return db
    .select({ session: sessions, moderator: { id: moderators.id, email: moderators.email, name: moderators.name } })
    .from(sessions)
    .innerJoin(moderators, eq(sessions.moderatorId, moderators.id))
    .where(eq(sessions.id, id))
    .get();
}

export function updateSessionExpiry(db: Db, id: string, expiresAt: Date): void {
  db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id)).run();
}

export function deleteSession(db: Db, id: string): void {
  db.delete(sessions).where(eq(sessions.id, id)).run();
}

/** Ends every session of a moderator (password change, removal). */
export function deleteSessionsOfModerator(db: Db, moderatorId: number): void {
  db.delete(sessions).where(eq(sessions.moderatorId, moderatorId)).run();
}

export function deleteExpiredSessions(db: Db, now: Date): void {
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
}

