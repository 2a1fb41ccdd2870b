import { eq, lt } from 'drizzle-orm';
import { firstRow } from './rows';
import type { moderators, sessions } from '../schema/sqlite';
import type { Db } from '../client';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  const { sessions } = db.tables;
  await db.orm.insert(sessions).values(row);
}

/** A session with its moderator, by the hash of its token. */
export async function findSessionWithModerator(db: Db, id: string) {
  const { moderators, sessions } = db.tables;
  return db
    .orm.select({ session: sessions, moderator: { id: moderators.id, email: moderators.email, name: moderators.name } })
    .from(sessions)
    .innerJoin(moderators, eq(sessions.moderatorId, moderators.id))
    .where(eq(sessions.id, id))
    .then(firstRow);
}

export async function updateSessionExpiry(db: Db, id: string, expiresAt: Date): Promise<void> {
  const { sessions } = db.tables;
  await db.orm.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  const { sessions } = db.tables;
  await db.orm.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a moderator (password change, removal). */
export async function deleteSessionsOfModerator(db: Db, moderatorId: number): Promise<void> {
  const { sessions } = db.tables;
  await db.orm.delete(sessions).where(eq(sessions.moderatorId, moderatorId));
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  const { sessions } = db.tables;
  await db.orm.delete(sessions).where(lt(sessions.expiresAt, now));
}

