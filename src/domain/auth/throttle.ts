/**
 * Login throttling as pure functions over a small record per key (client, email or device).
 * Every attempt is counted *before* its password is checked (so a burst of concurrent guesses
 * cannot all slip through while the slow hash runs); the attempt after MAX_ATTEMPTS within
 * WINDOW_MS is refused and locks the key for LOCK_MS. A successful login clears its keys.
 */

export const MAX_ATTEMPTS = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

export interface AttemptRecord {
  key: string;
  /** Attempts counted in the current window. */
  failures: number;
  /** When the current window started. */
  firstFailureAt: Date;
  lockedUntil: Date | null;
}

/** Milliseconds until every given key is unlocked (0: login may be tried). */
export function remainingLockMs(records: readonly AttemptRecord[], now: Date): number {
  return Math.max(0, ...records.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now.getTime() : 0)));
}

/**
 * The record after one more attempt: a new window when the old one has passed; past the limit
 * a lock, which further attempts do not extend (the owner can always get back in after LOCK_MS).
 */
export function countAttempt(previous: AttemptRecord | undefined, key: string, now: Date): AttemptRecord {
  const fresh = !previous || now.getTime() - previous.firstFailureAt.getTime() > WINDOW_MS;
  const failures = fresh ? 1 : previous.failures + 1;
  const firstFailureAt = fresh ? now : previous.firstFailureAt;
  const activeLock = previous?.lockedUntil && previous.lockedUntil.getTime() > now.getTime() ? previous.lockedUntil : null;
  const lockedUntil = activeLock ?? (failures > MAX_ATTEMPTS ? new Date(now.getTime() + LOCK_MS) : null);
  return { key, failures, firstFailureAt, lockedUntil };
}
