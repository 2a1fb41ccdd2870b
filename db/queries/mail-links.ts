import { eq, lt } from 'drizzle-orm';
import { firstRow } from './rows';
import type { mailLinkUses } from '../schema/sqlite';
import type { Db } from '../client';
import type { Transition } from '../../src/domain/comments/moderation';
import type { CommentStatus } from '../../src/domain/comments/types';
import { findComment } from './comments';
import { insertModerationLog } from './moderation-log';
import { setCommentStatus } from './moderation-queue';
import { bumpPostStamps } from './page-stamps';

export type MailLinkUseRow = typeof mailLinkUses.$inferSelect;

async function findMailLinkUseIn(db: Db, nonce: string): Promise<MailLinkUseRow | undefined> {
  const { mailLinkUses } = db.tables;
  return db.orm.select().from(mailLinkUses).where(eq(mailLinkUses.nonce, nonce)).then(firstRow);
}

/** The recorded use of a mail link, if it was used. */
export async function findMailLinkUse(db: Db, nonce: string): Promise<MailLinkUseRow | undefined> {

  return findMailLinkUseIn(db, nonce);
}

/** One use of a mail link: which link (its nonce), what it does, and for whom. */
export interface MailLinkUse {
  nonce: string;
  commentId: number;
  action: 'approve' | 'spam' | 'trash';
  moderatorId: number;
  /** Kept in the log, which outlives the moderator's account. */
  moderatorName: string;
  usedAt: Date;
  /** Uses recorded before this are forgotten (their links have expired anyway). */
  forgetUsesBefore: Date;
}

export type SpentMailLink =
  | { kind: 'done'; status: CommentStatus }
  | { kind: 'used'; usedAt: Date }
  /** Deleted, or its author's data erased. */
  | { kind: 'gone' }
  /** No longer pending: someone decided already, and a link from the mail does not overrule them. */
  | { kind: 'handled' };

/**
 * Uses a mail link, atomically: refuses a link used before, checks that the comment is still
 * pending, records the use (the nonce is the primary key, so of two racing uses one wins), sets
 * the status `decide` gives, logs it as the mail's moderator "via mail-link" and bumps the
 * post's page stamp when the comment is published. All or nothing: a link whose change fails
 * stays unused.
 */
export async function spendMailLink(db: Db, use: MailLinkUse, decide: (current: { status: CommentStatus; previousStatus: CommentStatus | null }) => Transition): Promise<SpentMailLink> {
  const { mailLinkUses } = db.tables;
  return db.transaction(
    async (tx): Promise<SpentMailLink> => {
      const earlier = await findMailLinkUseIn(tx, use.nonce);
      if (earlier) return { kind: 'used', usedAt: earlier.usedAt };
      const comment = await findComment(tx, use.commentId);
      if (!comment || comment.erasedAt) return { kind: 'gone' };
      if (comment.status !== 'pending') return { kind: 'handled' };
      const transition = decide({ status: comment.status as CommentStatus, previousStatus: comment.previousStatus as CommentStatus | null });
      if (transition.kind !== 'set') return { kind: 'handled' };
      const recorded = await tx
        .orm.insert(mailLinkUses)
        .values({ nonce: use.nonce, commentId: use.commentId, action: use.action, moderatorId: use.moderatorId, usedAt: use.usedAt })
        .onConflictDoNothing()
        .returning({ nonce: mailLinkUses.nonce })
        ;
      if (recorded.length === 0) return { kind: 'used', usedAt: use.usedAt };
      await setCommentStatus(tx, comment.id, transition.status, transition.previousStatus, use.usedAt);
      await insertModerationLog(tx, {
        moderatorId: use.moderatorId,
        moderatorName: use.moderatorName,
        action: use.action,
        commentId: comment.id,
        detail: `${comment.status} → ${transition.status}`,
        via: 'mail-link',
        createdAt: use.usedAt,
      });
      if (transition.status === 'approved') await bumpPostStamps(tx, [comment.postSlug]);
      await tx.orm.delete(mailLinkUses).where(lt(mailLinkUses.usedAt, use.forgetUsesBefore));
      return { kind: 'done', status: transition.status };
    },
  );
}
