import type { Db } from '../../db/client';
import { deleteModeratorByEmail, findModeratorByEmail, insertModeratorIfNew, listModerators, type ModeratorRow } from '../../db/queries/moderators';

/** The people who may log in at /admin, managed with `npm run moderator`. */

export type { ModeratorRow };
export { findModeratorByEmail, listModerators };

/** Adds a moderator; false when one with this email (case-insensitive) exists already. */
export function addModerator(db: Db, moderator: { email: string; name: string; passwordHash: string; createdAt: Date }): boolean {
  return insertModeratorIfNew(db, moderator) !== undefined;
}

/** Removes a moderator and so ends their sessions; the removed one, or undefined when there was none. */
export function removeModerator(db: Db, email: string): ModeratorRow | undefined {
  const moderator = findModeratorByEmail(db, email);
  return moderator && deleteModeratorByEmail(db, email) ? moderator : undefined;
}
