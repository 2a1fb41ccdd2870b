import type { Db } from '../../db/client';
import { blockAuthorOfComment, blockedEmailsAmong, listBlockedAuthors, unblockAuthor, type BlockedAuthorRow } from '../../db/queries/author-blocks';
import { authorHistories, type AuthorHistory } from '../../db/queries/moderation-queue';
import { setPinned } from '../../db/queries/pins';

export type { AuthorHistory };
import { checkPin, MAX_PINNED_PER_POST, type PinRefusal } from '../domain/comments/pinning';

/**
 * What moderators do about a comment's author and its place in the thread, beyond its status:
 * Pin / Unpin, Block author / Unblock, and each author's history in the queue. Every change is
 * logged (in the same transaction, see db/queries).
 */

type Moderator = { id: number; name: string };

export type PinOutcome = { ok: true } | { ok: false; reason: PinRefusal | 'notFound'; max: number };

/** Pins an approved top-level comment (at most MAX_PINNED_PER_POST per post); pinning a pinned one is a no-op. */
export async function pinComment(db: Db, moderator: Moderator, id: number, now: Date): Promise<PinOutcome> {
  const change = await setPinned(db, id, true, moderator, now, checkPin);
  if (change.kind === 'notFound') return { ok: false, reason: 'notFound', max: MAX_PINNED_PER_POST };
  if (change.kind === 'refused') return { ok: false, reason: change.reason, max: MAX_PINNED_PER_POST };
  return { ok: true };
}

/** Unpins a comment; unpinning one that is not pinned is a no-op. */
export async function unpinComment(db: Db, moderator: Moderator, id: number, now: Date): Promise<PinOutcome> {
  const change = await setPinned(db, id, false, moderator, now, checkPin);
  return change.kind === 'notFound' ? { ok: false, reason: 'notFound', max: MAX_PINNED_PER_POST } : { ok: true };
}

export type BlockOutcome = { ok: true } | { ok: false; reason: 'notFound' | 'fromSite' };

/** Blocks the author of a comment (email and client address): their future comments go to spam. Blocking twice is a no-op. */
export async function blockAuthor(db: Db, moderator: Moderator, commentId: number, now: Date): Promise<BlockOutcome> {
  const outcome = await blockAuthorOfComment(db, commentId, moderator, now);
  return outcome.kind === 'notFound' || outcome.kind === 'fromSite' ? { ok: false, reason: outcome.kind } : { ok: true };
}

/** Lifts a block by its id (the rules page). */
export async function unblockAuthorById(db: Db, moderator: Moderator, blockId: number, now: Date): Promise<{ ok: true } | { ok: false; reason: 'notFound' }> {
  return (await unblockAuthor(db, blockId, moderator, now)) ? { ok: true } : { ok: false, reason: 'notFound' };
}

/** The blocked authors, newest first, for the rules page. */
export function listBlocks(db: Db): Promise<BlockedAuthorRow[]> {
  return listBlockedAuthors(db);
}

/** What the queue shows about each row's author: their history and whether they are blocked. */
export interface QueueAuthors {
  /** Keyed by the email as stored on the row. */
  history: Map<string, AuthorHistory>;
  /** Lowercased emails of blocked authors. */
  blocked: Set<string>;
}

/** The authors of one page of the queue: two queries for the whole page, whatever its size. */
export async function loadQueueAuthors(db: Db, rows: readonly { authorEmail: string; erasedAt: Date | null }[]): Promise<QueueAuthors> {
  const emails = [...new Set(rows.filter((r) => !r.erasedAt && r.authorEmail).map((r) => r.authorEmail))];
  const [history, blocked] = await Promise.all([await authorHistories(db, emails), await blockedEmailsAmong(db, emails)]);
  return { history, blocked };
}
