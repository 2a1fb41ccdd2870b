import { eq, sql } from 'drizzle-orm';
import { firstRow } from './rows';
import type { moderators } from '../schema/sqlite';
import type { Db } from '../client';

export type ModeratorRow = typeof moderators.$inferSelect;

/** Every moderator, by name. */
export async function listModerators(db: Db): Promise<ModeratorRow[]> {
  const { moderators } = db.tables;
  return db.orm.select().from(moderators).orderBy(moderators.name);
}

/** A moderator by email (case-insensitive). */
export async function findModeratorByEmail(db: Db, email: string): Promise<ModeratorRow | undefined> {
  const { moderators } = db.tables;
  return db.orm.select().from(moderators).where(sql`lower(${moderators.email}) = lower(${email})`).then(firstRow);
}

/** A moderator by id. */
export async function findModeratorById(db: Db, id: number): Promise<ModeratorRow | undefined> {
  const { moderators } = db.tables;
  return db.orm.select().from(moderators).where(eq(moderators.id, id)).then(firstRow);
}

/** Adds a moderator; returns the id. */
export async function insertModerator(db: Db, row: { email: string; name: string; passwordHash: string; createdAt: Date }): Promise<number> {
  const { moderators } = db.tables;
  return db.orm.insert(moderators).values(row).returning({ id: moderators.id }).then((rows) => rows[0]!.id);
}

/**
 * Adds a moderator unless one with this email (case-insensitive, a unique index) exists, also
 * one added by another process a moment ago; returns the id, or undefined when it exists.
 */
export async function insertModeratorIfNew(db: Db, row: { email: string; name: string; passwordHash: string; createdAt: Date }): Promise<number | undefined> {
  const { moderators } = db.tables;
  return db.orm.insert(moderators).values(row).onConflictDoNothing().returning({ id: moderators.id }).then((rows) => rows[0]?.id);
}

/** Removes a moderator (their sessions go with them); true when one was removed. */
export async function deleteModeratorByEmail(db: Db, email: string): Promise<boolean> {
  const { moderators } = db.tables;
  const removed = await db.orm.delete(moderators).where(sql`lower(${moderators.email}) = lower(${email})`).returning({ id: moderators.id });
  return removed.length > 0;
}
