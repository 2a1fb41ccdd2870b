import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { moderators } from '../schema';

export type ModeratorRow = typeof moderators.$inferSelect;

/** Every moderator, by name. */
export function listModerators(db: Db): ModeratorRow[] {
  return db.select().from(moderators).orderBy(moderators.name).all();
}

/** A moderator by email (case-insensitive). */
export function findModeratorByEmail(db: Db, email: string): ModeratorRow | undefined {
  return db.select().from(moderators).where(sql`lower(${moderators.email}) = lower(${email})`).get();
}

/** A moderator by id. */
export function findModeratorById(db: Db, id: number): ModeratorRow | undefined {
  return db.select().from(moderators).where(eq(moderators.id, id)).get();
}

/** Adds a moderator; returns the id. */
export function insertModerator(db: Db, row: { email: string; name: string; passwordHash: string; createdAt: Date }): number {
  return db.insert(moderators).values(row).returning({ id: moderators.id }).get().id;
}

/**
 * Adds a moderator unless one with this email (case-insensitive, a unique index) exists, also
 * one added by another process a moment ago; returns the id, or undefined when it exists.
 */
export function insertModeratorIfNew(db: Db, row: { email: string; name: string; passwordHash: string; createdAt: Date }): number | undefined {
  return db.insert(moderators).values(row).onConflictDoNothing().returning({ id: moderators.id }).get()?.id;
}

/** Removes a moderator (their sessions go with them); true when one was removed. */
export function deleteModeratorByEmail(db: Db, email: string): boolean {
  return db.delete(moderators).where(sql`lower(${moderators.email}) = lower(${email})`).run().changes > 0;
}
