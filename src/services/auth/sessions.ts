import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../db/client';
import { deleteSession, findSessionWithModerator, insertSession, updateSessionExpiry } from '../../../db/queries/sessions';

/**
 * Moderator sessions after the Copenhagen Book: a random 256-bit token lives only in the
 * moderator's cookie; the database keeps its SHA-256, so a leaked database cannot be
 * replayed. Sliding expiry: use within the last half of the lifetime extends it.
 */

export const SESSION_COOKIE = 'aw_session';
export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export interface SessionModerator {
  id: number;
  email: string;
  name: string;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session for a moderator; returns the token for the cookie and its expiry. */
export async function createSession(db: Db, moderatorId: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await insertSession(db, { id: hashSessionToken(token), moderatorId, expiresAt, createdAt: now });
  return { token, expiresAt };
}

/**
 * The moderator a token belongs to, or null when unknown or expired (expired sessions are
 * deleted). `renewedUntil` is set when the expiry was extended and the cookie should be too.
 */
export async function validateSessionToken(db: Db, token: string | undefined, now: Date): Promise<{ moderator: SessionModerator; renewedUntil: Date | null } | null> {
  if (!token || !/^[\w-]{43}$/.test(token)) return null;
  const id = hashSessionToken(token);
  const found = await findSessionWithModerator(db, id);
  if (!found) return null;
  if (found.session.expiresAt.getTime() <= now.getTime()) {
    await deleteSession(db, id);
    return null;
  }
  let renewedUntil: Date | null = null;
  if (found.session.expiresAt.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2) {
    renewedUntil = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await updateSessionExpiry(db, id, renewedUntil);
  }
  return { moderator: found.moderator, renewedUntil };
}

/** Ends the session a token belongs to (logout). */
export async function invalidateSession(db: Db, token: string): Promise<void> {
  await deleteSession(db, hashSessionToken(token));
}
