import type { Db } from '../../../db/client';
import { clearLoginAttempts, findLoginAttempts, saveLoginAttempt } from '../../../db/queries/login-attempts';
import { findModeratorByEmail } from '../../../db/queries/moderators';
import { deleteExpiredSessions } from '../../../db/queries/sessions';
import { recordFailure, remainingLockMs } from '../../domain/auth/throttle';
import { keyedHash } from '../tokens';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password';
import { createSession } from './sessions';

export type LoginOutcome =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMinutes: number };

/**
 * Checks a moderator's credentials. Failures are counted per client and per email and lock
 * both for a while; an unknown email costs the same scrypt work as a wrong password, and
 * both answer the same, so neither timing nor wording reveals which emails exist.
 */
export async function attemptLogin(
  db: Db,
  { email, password, clientAddress, secret, now }: { email: string; password: string; clientAddress: string; secret: string; now: Date },
): Promise<LoginOutcome> {
  const normalizedEmail = email.trim().toLowerCase();
  const keys = [`client:${keyedHash(secret, 'client', clientAddress)}`, `email:${keyedHash(secret, 'login-email', normalizedEmail)}`];
  const records = findLoginAttempts(db, keys);
  const lockedMs = remainingLockMs(records, now);
  if (lockedMs > 0) return { ok: false, reason: 'locked', retryAfterMinutes: Math.ceil(lockedMs / 60_000) };

  const moderator = normalizedEmail ? findModeratorByEmail(db, normalizedEmail) : undefined;
  const valid = await verifyPassword(password, moderator?.passwordHash ?? (await DUMMY_HASH_PROMISE));
  if (!moderator || !valid) {
    for (const key of keys) saveLoginAttempt(db, recordFailure(records.find((r) => r.key === key), key, now));
    return { ok: false, reason: 'invalid' };
  }
  clearLoginAttempts(db, keys);
  deleteExpiredSessions(db, now);
  return { ok: true, ...createSession(db, moderator.id, now) };
}
