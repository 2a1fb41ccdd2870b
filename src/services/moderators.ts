import type { Db } from '../../db/client';
import { deleteModeratorByEmail, findModeratorByEmail, insertModeratorIfNew, listModerators, type ModeratorRow } from '../../db/queries/moderators';

/** The people who may log in at /admin, managed with `npm run moderator`. */

export type { ModeratorRow };
export { findModeratorByEmail, listModerators };

/** Adds a moderator; false when one with this email (case-insensitive) exists already. */
export async function addModerator(db: Db, moderator: { email: string; name: string; passwordHash: string; createdAt: Date }): Promise<boolean> {
  return await insertModeratorIfNew(db, moderator) !== undefined;
}

/** Removes a moderator and so ends their sessions; the removed one, or undefined when there was none. */
export async function removeModerator(db: Db, email: string): Promise<ModeratorRow | undefined> {
  const moderator = await findModeratorByEmail(db, email);
  return moderator && await deleteModeratorByEmail(db, email) ? moderator : undefined;
}
