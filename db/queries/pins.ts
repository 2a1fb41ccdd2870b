import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { comments } from '../schema';
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
  return db.transaction((tx): PinChange<Refusal> => {
    const comment = findComment(tx, commentId);
    if (!comment) return { kind: 'notFound' };
    if ((comment.pinnedAt !== null) === pin) return { kind: 'unchanged' };
    if (pin) {
      const others =
        tx
          .select({ n: sql<number>`count(*)` })
          .from(comments)
          .where(and(eq(comments.postSlug, comment.postSlug), isNotNull(comments.pinnedAt), eq(comments.status, 'approved'), ne(comments.id, comment.id)))
          .get()?.n ?? 0;
      const verdict = check({ status: comment.status as CommentStatus, parentId: comment.parentId, erasedAt: comment.erasedAt }, others);
      if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
    }
    tx.update(comments).set({ pinnedAt: pin ? now : null }).where(eq(comments.id, commentId)).run();
    insertModerationLog(tx, { moderatorId: moderator.id, moderatorName: moderator.name, action: pin ? 'pin' : 'unpin', commentId, detail: null, createdAt: now });
    if (comment.status === 'approved') bumpPostStamps(tx, [comment.postSlug]);
    return { kind: 'changed' };
  });
}
