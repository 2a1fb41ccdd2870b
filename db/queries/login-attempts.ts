import { inArray } from 'drizzle-orm';
import type { loginAttempts } from '../schema/sqlite';
import type { Db } from '../client';

export type LoginAttemptRow = typeof loginAttempts.$inferSelect;

export async function findLoginAttempts(db: Db, keys: readonly string[]): Promise<LoginAttemptRow[]> {
  const { loginAttempts } = db.tables;
  return db.orm.select().from(loginAttempts).where(inArray(loginAttempts.key, [...keys]));
}

export async function saveLoginAttempt(db: Db, row: LoginAttemptRow): Promise<void> {
  const { loginAttempts } = db.tables;
  await db.orm.insert(loginAttempts)
    .values(row)
    .onConflictDoUpdate({ target: loginAttempts.key, set: { failures: row.failures, firstFailureAt: row.firstFailureAt, lockedUntil: row.lockedUntil } })
    ;
}

export async function clearLoginAttempts(db: Db, keys: readonly string[]): Promise<void> {
  const { loginAttempts } = db.tables;
  await db.orm.delete(loginAttempts).where(inArray(loginAttempts.key, [...keys]));
}

