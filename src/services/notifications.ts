import type { Db } from '../../db/client';
import { enqueueMail } from '../../db/queries/mail';
import { listModerators } from '../../db/queries/moderators';
import type { PostSummary } from '../domain/posts/posts';
import { renderCommentBodyAsText } from '../render/comment-body';
import type { Mailer } from './mailer';
import { mailLinkUrls } from './mail-links';
import type { MailLinkAction } from './tokens';

export interface PendingCommentNotice {
  id: number;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  bodySource: string;
}

/**
 * Tells every moderator about a comment awaiting them: one plain-text mail each (plain text,
 * so nothing a commenter typed can run in a mail client), with Approve / Spam / Trash links
 * signed for that moderator. Called after the comment is committed; any failure is logged and
 * never reaches the commenter.
 */
export async function notifyModeratorsOfPendingComment(
  db: Db,
  mailer: Pick<Mailer, 'deliver'>,
  comment: PendingCommentNotice,
  post: PostSummary,
  origin: string,
  now: Date,
  secret: string,
): Promise<void> {
  try {
    await enqueueMail(
      db,
      (await listModerators(db)).map((m) => ({
        recipient: m.email,
        ...pendingCommentMail(comment, post, origin, mailLinkUrls(secret, origin, comment.id, m.id, now)),
      })),
      now,
    );
    void mailer.deliver();
  } catch (error) {
    console.error(`could not queue moderator notification for comment ${comment.id}: ${(error as Error).message}`);
  }
}

/**
 * The subject and plain-text body of the mail about a pending comment, with the recipient's own
 * moderation links (each opens a page with the comment and one button to confirm).
 */
export function pendingCommentMail(
  comment: PendingCommentNotice,
  post: Pick<PostSummary, 'slug' | 'title'>,
  origin: string,
  links: Record<MailLinkAction, string>,
): { subject: string; textBody: string } {
  const subject = `New comment awaiting moderation: ${post.title}`.replace(/[\r\n]+/g, ' ');
  // Everything the commenter typed is quoted ("> " on every line, between markers) and comes
  // after our own link, so a comment cannot pass off its own "Moderate it: …" line as ours.
  const quoted = renderCommentBodyAsText(comment.bodySource)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const textBody = [
    `A new comment on "${post.title}" is awaiting moderation.`,
    '',
    `Approve: ${links.approve}`,
    `Spam:    ${links.spam}`,
    `Trash:   ${links.trash}`,
    '(Each link opens a page showing the comment with a button to confirm. It works once, only for you, for 7 days.)',
    '',
    `Moderate it: ${origin}/admin?status=pending`,
    `Post:        ${origin}/posts/${post.slug}`,
    '',
    `Author:  ${comment.authorName}`,
    `Email:   ${comment.authorEmail}`,
    `Website: ${comment.authorUrl ?? '-'}`,
    '',
    '----- The comment, exactly as submitted (not written by us; links in it are unverified) -----',
    quoted,
    '----- End of the comment -----',
  ].join('\n');
  return { subject, textBody };
}
