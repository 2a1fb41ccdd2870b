/**
 * Login throttling as pure functions over a small record per key (client or email):
 * after MAX_FAILURES failures within WINDOW_MS the key is locked for LOCK_MS.
 */

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

export interface FailureRecord {
  key: string;
  failures: number;
  firstFailureAt: Date;
  lockedUntil: Date | null;
}

/** Milliseconds until every given key is unlocked (0: login may be tried). */
export function remainingLockMs(records: readonly FailureRecord[], now: Date): number {
  return Math.max(0, ...records.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now.getTime() : 0)));
}

/** The record after one more failure: a new window when the old one has passed; a lock at the limit. */
export function recordFailure(previous: FailureRecord | undefined, key: string, now: Date): FailureRecord {
  const fresh = !previous || now.getTime() - previous.firstFailureAt.getTime() > WINDOW_MS;
  const failures = fresh ? 1 : previous.failures + 1;
  const firstFailureAt = fresh ? now : previous.firstFailureAt;
  const lockedUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null;
  return { key, failures, firstFailureAt, lockedUntil };
}
