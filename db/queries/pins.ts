import { and, eq, isNotNull, ne, sql, count } from 'drizzle-orm';
import type { comments } from '../schema/sqlite';
import type { Db } from '../client';
import type { CommentStatus } from '../../src/domain/comments/types';
import { findComment } from './comments';
import { insertModerationLog } from './moderation-log';
import { bumpPostStamps } from './page-stamps';

export type PinChange<Refusal extends string> = { kind: 'changed' } | { kind: 'unchanged' } | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

/**
 * Pins (`pin: true`) or unpins a comment, atomically: `check` (a pure rule, given the comment and
 * how many other comments of its post are pinned) may refuse a pin. Logged, and the post's page
 * stamp is bumped: readers see the new order at once.
 */
export async function setPinned<Refusal extends string>(
  db: Db,
  commentId: number,
  pin: boolean,
  moderator: { id: number; name: string },
  now: Date,
  check: (comment: { status: CommentStatus; parentId: number | null; erasedAt: Date | null }, otherPinnedOnPost: number) => { ok: true } | { ok: false; reason: Refusal },
): Promise<PinChange<Refusal>> {
  const { comments } = db.tables;
  return db.transaction(async (tx): Promise<PinChange<Refusal>> => {
    const comment = await findComment(tx, commentId);
    if (!comment) return { kind: 'notFound' };
    if ((comment.pinnedAt !== null) === pin) return { kind: 'unchanged' };
    if (pin) {
      const others =
        await tx
          .orm.select({ n: count() })
          .from(comments)
          .where(and(eq(comments.postSlug, comment.postSlug), isNotNull(comments.pinnedAt), eq(comments.status, 'approved'), ne(comments.id, comment.id)))
          .then((rows) => rows[0]?.n ?? 0);
      const verdict = check({ status: comment.status as CommentStatus, parentId: comment.parentId, erasedAt: comment.erasedAt }, others);
      if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
    }
    await tx.orm.update(comments).set({ pinnedAt: pin ? now : null }).where(eq(comments.id, commentId));
    await insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: pin ? 'pin' : 'unpin', commentId, detail: null, createdAt: now });
    if (comment.status === 'approved') await bumpPostStamps(tx, [comment.postSlug]);
    return { kind: 'changed' };
  });
}
