import { lt } from 'drizzle-orm';
import type { Db } from '../client';
import { spentFormTokens } from '../schema';

/**
 * Marks a served form's token as used by a stored comment; false when it already was.
 * Expired rows are pruned on the way (an indexed range delete, usually of nothing).
 */
export function spendFormToken(db: Db, nonce: string, expiresAt: Date, now: Date): boolean {
  db.delete(spentFormTokens).where(lt(spentFormTokens.expiresAt, now)).run();
  return db.insert(spentFormTokens).values({ nonce, expiresAt }).onConflictDoNothing().run().changes === 1;
}
