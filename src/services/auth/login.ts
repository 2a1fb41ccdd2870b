import type { Db } from '../../../db/client';
import { clearLoginAttempts, findLoginAttempts, saveLoginAttempt } from '../../../db/queries/login-attempts';
import { findModeratorByEmail } from '../../../db/queries/moderators';
import { deleteExpiredSessions } from '../../../db/queries/sessions';
import { countAttempt, remainingLockMs, type AttemptRecord } from '../../domain/auth/throttle';
import { createDeviceToken, deviceIdFromToken, keyedHash } from '../tokens';
import { DUMMY_HASH_PROMISE, PasswordCheckBusyError, verifyPassword, withHashSlot } from './password';
import { createSession } from './sessions';

export type LoginOutcome =
  | { ok: true; token: string; expiresAt: Date; deviceToken: string }
  | ({ ok: false } & LoginRefusal);

/** Why a login did not start a session; a locked or busy one says when to try again. */
export type LoginRefusal = { reason: 'invalid' } | { reason: 'locked' | 'busy'; retryAfterSeconds: number };

export interface LoginAttempt {
  email: string;
  password: string;
  clientAddress: string;
  /** The browser's device cookie, if it has one (set at an earlier successful login). */
  deviceToken: string | undefined;
  secret: string;
  now: Date;
}

/** How long a client is asked to wait when every password-check slot is taken. */
const BUSY_RETRY_SECONDS = 5;

/**
 * Checks a moderator's credentials. Each attempt is counted first, atomically, per client and
 * per email (or, from a browser this moderator has logged in with before, per that device:
 * strangers guessing at the address cannot lock its owner out); past the limit it is refused
 * without checking the password. An unknown email costs the same scrypt work as a wrong
 * password and gets the same answer, so neither timing nor wording reveals which emails exist.
 */
export async function attemptLogin(db: Db, { email, password, clientAddress, deviceToken, secret, now }: LoginAttempt): Promise<LoginOutcome> {
  const normalizedEmail = email.trim().toLowerCase();
  const deviceId = deviceIdFromToken(secret, deviceToken, normalizedEmail);
  const keys = deviceId
    ? [`device:${keyedHash(secret, 'login-device', deviceId)}`]
    : [`client:${keyedHash(secret, 'client', clientAddress)}`, `email:${keyedHash(secret, 'login-email', normalizedEmail)}`];
  // IMMEDIATE: read and count in one step, so concurrent attempts each see the others' counts.
  const records = await db.transaction(async (tx) => {
    const counted: AttemptRecord[] = [];
    for (const key of keys) {
      const next = countAttempt((await findLoginAttempts(tx, [key]))[0], key, now);
      await saveLoginAttempt(tx, next);
      counted.push(next);
    }
    return counted;
  });
  const lockedMs = remainingLockMs(records, now);
  if (lockedMs > 0) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(lockedMs / 1000) };

  const moderator = normalizedEmail ? await findModeratorByEmail(db, normalizedEmail) : undefined;
  let valid: boolean;
  try {
    valid = await withHashSlot(async () => verifyPassword(password, moderator?.passwordHash ?? (await DUMMY_HASH_PROMISE)));
  } catch (error) {
    if (error instanceof PasswordCheckBusyError) return { ok: false, reason: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS };
    throw error;
  }
  if (!moderator || !valid) return { ok: false, reason: 'invalid' };
  await clearLoginAttempts(db, keys);
  await deleteExpiredSessions(db, now);
  return { ok: true, ...await createSession(db, moderator.id, now), deviceToken: deviceToken && deviceId ? deviceToken : createDeviceToken(secret, normalizedEmail) };
}
