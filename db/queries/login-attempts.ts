import { inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { loginAttempts } from '../schema';

export type LoginAttemptRow = typeof loginAttempts.$inferSelect;

export function findLoginAttempts(db: Db, keys: readonly string[]): LoginAttemptRow[] {
  return db.select().from(loginAttempts).where(inArray(loginAttempts.key, [...keys])).all();
}

export function saveLoginAttempt(db: Db, row: LoginAttemptRow): void {
  db.insert(loginAttempts)
    .values(row)
    .onConflictDoUpdate({ target: loginAttempts.key, set: { failures: row.failures, firstFailureAt: row.firstFailureAt, lockedUntil: row.lockedUntil } })
    .run();
}

export function clearLoginAttempts(db: Db, keys: readonly string[]): void {
  db.delete(loginAttempts).where(inArray(loginAttempts.key, [...keys])).run();
}

