import type { Db } from '../../db/client';
import { enqueueMail } from '../../db/queries/mail';
import { listModerators } from '../../db/queries/moderators';
import type { PostSummary } from '../domain/posts/posts';
import { renderCommentBodyAsText } from '../render/comment-body';
import { deliverDueMail } from './mailer';

export interface PendingCommentNotice {
  id: number;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  bodySource: string;
}

/**
 * Tells every moderator about a comment awaiting them: one plain-text mail each (plain text,
 * so nothing a commenter typed can run in a mail client). Called after the comment is
 * committed; any failure is logged and never reaches the commenter.
 */
export function notifyModeratorsOfPendingComment(db: Db, comment: PendingCommentNotice, post: PostSummary, origin: string): void {
  try {
    const subject = `New comment awaiting moderation: ${post.title}`.replace(/[\r\n]+/g, ' ');
    const textBody = [
      `A new comment on "${post.title}" is awaiting moderation.`,
      '',
      `Author:  ${comment.authorName}`,
      `Email:   ${comment.authorEmail}`,
      `Website: ${comment.authorUrl ?? '-'}`,
      `Post:    ${origin}/posts/${post.slug}`,
      '',
      renderCommentBodyAsText(comment.bodySource),
      '',
      `Moderate it: ${origin}/admin?status=pending`,
    ].join('\n');
    const now = new Date();
    enqueueMail(
      db,
      listModerators(db).map((m) => ({ recipient: m.email, subject, textBody })),
      now,
    );
    void deliverDueMail(db);
  } catch (error) {
    console.error(`could not queue moderator notification for comment ${comment.id}: ${(error as Error).message}`);
  }
}
