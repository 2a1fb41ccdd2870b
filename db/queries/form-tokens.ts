import { lt } from 'drizzle-orm';
import type { spentFormTokens } from '../schema/sqlite';
import type { Db } from '../client';

/**
 * Marks a served form's token as used by a stored comment; false when it already was.
 * Expired rows are pruned on the way (an indexed range delete, usually of nothing).
 */
export async function spendFormToken(db: Db, nonce: string, expiresAt: Date, now: Date): Promise<boolean> {
  const { spentFormTokens } = db.tables;
  await db.orm.delete(spentFormTokens).where(lt(spentFormTokens.expiresAt, now));
  const spent = await db.orm.insert(spentFormTokens).values({ nonce, expiresAt }).onConflictDoNothing().returning({ nonce: spentFormTokens.nonce });
  return spent.length === 1;
}
