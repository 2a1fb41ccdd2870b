import type { Db } from '../../db/client';
import { findComment, type CommentRow } from '../../db/queries/comments';
import { findMailLinkUse, spendMailLink } from '../../db/queries/mail-links';
import { listModerationLog, type ModerationLogRow } from '../../db/queries/moderation-log';
import { findModeratorById } from '../../db/queries/moderators';
import { applyModerationAction } from '../domain/comments/moderation';
import type { CommentStatus } from '../domain/comments/types';
import { checkMailLinkToken, createMailLinkToken, MAIL_LINK_ACTIONS, MAIL_LINK_MAX_AGE_MS, type MailLinkAction } from './tokens';

/**
 * Moderating from the notification mail: each mail carries Approve / Spam / Trash links that
 * open a confirmation page (a GET changes nothing: mail scanners prefetch links); its one button
 * posts the change. Links are signed, bound to one comment, action and moderator, work once and
 * expire after seven days. The change is logged as that moderator's, "via email link".
 */

/** The confirmation page; the token travels in the query string, which also keeps the page out of the page cache. */
export const MAIL_LINK_PATH = '/moderate';

/** The three links for one moderator's mail about one comment. */
export function mailLinkUrls(secret: string, origin: string, commentId: number, moderatorId: number, now: Date): Record<MailLinkAction, string> {
  const url = (action: MailLinkAction) => `${origin}${MAIL_LINK_PATH}?link=${createMailLinkToken(secret, { commentId, action, moderatorId }, now)}`;
  return Object.fromEntries(MAIL_LINK_ACTIONS.map((action) => [action, url(action)])) as Record<MailLinkAction, string>;
}

/**
 * The comment as the confirmation page shows it. Deliberately without the author's email:
 * the page opens for whoever holds the link (a forwarded mail, a mail scanner's log, a shared
 * computer's history), and the moderator has the address in the mail itself already.
 */
export interface MailLinkComment {
  id: number;
  postSlug: string;
  status: CommentStatus;
  authorName: string;
  authorUrl: string | null;
  /** The sanitised rendering (the only comment HTML ever output). */
  bodyHtml: string;
  createdAt: Date;
  parentId: number | null;
}

export type MailLinkState =
  /** Forged, cut short, or its moderator no longer exists (a removed moderator's mails grant nothing). */
  | { kind: 'invalid' }
  | { kind: 'expired'; issuedAt: Date }
  | { kind: 'used'; usedAt: Date; action: MailLinkAction; comment: MailLinkComment | null }
  /** The comment was deleted (or its author's data erased) since the mail was sent. */
  | { kind: 'gone' }
  /** Someone acted on the comment already (in the queue or through another link): what it is now, and the last action. */
  | { kind: 'handled'; action: MailLinkAction; comment: MailLinkComment; last: ModerationLogRow | null }
  | { kind: 'ready'; action: MailLinkAction; comment: MailLinkComment; moderatorName: string };

export type MailLinkOutcome = Exclude<MailLinkState, { kind: 'ready' }> | { kind: 'done'; action: MailLinkAction; comment: MailLinkComment };

function toView(row: CommentRow): MailLinkComment {
  return {
    id: row.id,
    postSlug: row.postSlug,
    status: row.status as CommentStatus,
    authorName: row.authorName,
    authorUrl: row.authorUrl,
    bodyHtml: row.bodyHtml,
    createdAt: row.createdAt,
    parentId: row.parentId,
  };
}

/** The link's token checked, and its moderator still there; anything else reads as `invalid`. */
async function checkLink(db: Db, secret: string, token: unknown, now: Date) {
  const check = checkMailLinkToken(secret, token, now);
  if (check.state === 'forged') return null;
  const moderator = await findModeratorById(db, check.link.moderatorId);
  return moderator ? { ...check, moderator } : null;
}

async function commentView(db: Db, id: number): Promise<MailLinkComment | null> {
  const row = await findComment(db, id);
  return row && !row.erasedAt ? toView(row) : null;
}

async function handled(db: Db, action: MailLinkAction, comment: MailLinkComment): Promise<MailLinkState> {
  const [last] = await listModerationLog(db, { commentId: comment.id, limit: 1 });
  return { kind: 'handled', action, comment, last: last ?? null };
}

/** What the confirmation page shows for a link (reads only: this runs on GET). */
export async function inspectMailLink(db: Db, secret: string, token: unknown, now: Date): Promise<MailLinkState> {
  const check = await checkLink(db, secret, token, now);
  if (!check) return { kind: 'invalid' };
  const { action, commentId } = check.link;
  const use = await findMailLinkUse(db, check.nonce);
  if (use) return { kind: 'used', usedAt: use.usedAt, action, comment: await commentView(db, commentId) };
  if (check.state === 'expired') return { kind: 'expired', issuedAt: check.issuedAt };
  const comment = await commentView(db, commentId);
  if (!comment) return { kind: 'gone' };
  if (comment.status !== 'pending') return handled(db, action, comment);
  return { kind: 'ready', action, comment, moderatorName: check.moderator.name };
}

/**
 * Carries out a link's action (the confirmation button). The use is recorded and the comment
 * changed in one transaction (`spendMailLink`), so a link works exactly once even when clicked
 * twice at the same moment, and a failed change leaves the link unused. Publishing bumps the
 * post's page stamp, so cached pages show the change at once.
 */
export async function useMailLink(db: Db, secret: string, token: unknown, now: Date): Promise<MailLinkOutcome> {
  const check = await checkLink(db, secret, token, now);
  if (!check) return { kind: 'invalid' };
  const { action, commentId } = check.link;
  if (check.state === 'expired') {
    const use = await findMailLinkUse(db, check.nonce);
    return use ? { kind: 'used', usedAt: use.usedAt, action, comment: await commentView(db, commentId) } : { kind: 'expired', issuedAt: check.issuedAt };
  }
  const spent = await spendMailLink(
    db,
    {
      nonce: check.nonce,
      commentId,
      action,
      moderatorId: check.moderator.id,
      moderatorName: check.moderator.name,
      usedAt: now,
      forgetUsesBefore: new Date(now.getTime() - MAIL_LINK_MAX_AGE_MS - 24 * 60 * 60 * 1000),
    },
    (current) => applyModerationAction(current, action),
  );
  const comment = await commentView(db, commentId);
  if (spent.kind === 'used') return { kind: 'used', usedAt: spent.usedAt, action, comment };
  if (spent.kind === 'gone' || !comment) return { kind: 'gone' };
  if (spent.kind === 'handled') return (await handled(db, action, comment)) as Extract<MailLinkState, { kind: 'handled' }>;
  return { kind: 'done', action, comment };
}
