import type { Db } from '../../db/client';
import {
  confirmReplySubscription,
  createReplySubscription,
  findReplySubscription,
  hasConfirmedAddressAmong,
  listDueReplyNotices,
  queueMail,
  queueReplyNotices,
  unsubscribeAddressOf,
  type SubscriptionWithComment,
} from '../../db/queries/reply-subscriptions';
import type { CommentStatus } from '../domain/comments/types';
import type { Translator } from '../i18n';
import { confirmationMail, replyMail } from '../render/reply-mails';
import { checkSubscriptionToken, createSubscriptionToken, subscriptionIdOf, type SubscriptionLinkPurpose } from './tokens';

/**
 * Reply notifications, done as double opt-in: ticking the box mails one confirmation link;
 * reply mails go only to confirmed, still subscribed addresses, one per approved reply, after
 * approval (a sweep of approved replies, so every way a reply gets approved mails alike).
 */

/** How long a confirmation link works. */
export const CONFIRM_LINK_DAYS = 7;

export const confirmUrl = (origin: string, token: string) => `${origin}/notifications/confirm?token=${encodeURIComponent(token)}`;
export const unsubscribeUrl = (origin: string, token: string) => `${origin}/notifications/unsubscribe?token=${encodeURIComponent(token)}`;

export interface NewSubscription {
  commentId: number;
  status: CommentStatus;
  name: string;
  email: string;
  /** The comments this browser wrote before this one (its signed cookie). */
  ownCommentIds: readonly number[];
  post: { slug: string; title: string };
  secret: string;
  origin: string;
  translator: Translator;
  now: Date;
}

/**
 * After a comment is stored with the box ticked. A browser that has already confirmed this
 * address from the mail (one of its own earlier comments) needs no second confirmation; any
 * other gets one confirmation mail. A comment the spam guard caught subscribes nobody: a bot
 * must not be able to make the site mail a stranger.
 */
export async function subscribeToReplies(db: Db, s: NewSubscription): Promise<'none' | 'active' | 'confirmation-sent'> {
  if (s.status === 'spam' || s.status === 'trash') return 'none';
  const proven = await hasConfirmedAddressAmong(db, s.ownCommentIds, s.email);
  const id = await createReplySubscription(db, { commentId: s.commentId, email: s.email, confirmed: proven, now: s.now });
  if (proven) return 'active';
  const expires = new Date(s.now.getTime() + CONFIRM_LINK_DAYS * 24 * 60 * 60 * 1000);
  const token = createSubscriptionToken(s.secret, 'reply-confirm', id, s.email, expires);
  const mail = confirmationMail(s.translator, { email: s.email, name: s.name }, { title: s.post.title, url: `${s.origin}/posts/${s.post.slug}` }, confirmUrl(s.origin, token));
  await queueMail(db, mail, s.now);
  return 'confirmation-sent';
}

export type LinkCheck = { kind: 'valid'; subscription: SubscriptionWithComment } | { kind: 'expired' } | { kind: 'invalid' };

/** The subscription a mailed link is for, when the link is authentic, for this purpose, and not expired. */
export async function readSubscriptionLink(db: Db, secret: string, purpose: SubscriptionLinkPurpose, token: unknown, now: Date): Promise<LinkCheck> {
  const id = subscriptionIdOf(token);
  const subscription = id === null ? undefined : await findReplySubscription(db, id);
  if (!subscription) return { kind: 'invalid' };
  const check = checkSubscriptionToken(secret, purpose, token, subscription.email, now);
  if (check.state === 'forged' || check.subscriptionId !== subscription.id) return { kind: 'invalid' };
  if (check.state === 'expired') return { kind: 'expired' };
  return { kind: 'valid', subscription };
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; postSlug: string; commentId: number; approved: boolean }
  | { kind: 'already' | 'unsubscribed'; postSlug: string; commentId: number }
  | { kind: 'expired' }
  | { kind: 'invalid' };

/** The confirmation link's button: turns the subscription on (and may publish a known author's comment). */
export async function confirmSubscription(db: Db, secret: string, token: unknown, autoApproveKnownAuthors: boolean, now: Date): Promise<ConfirmOutcome> {
  const link = await readSubscriptionLink(db, secret, 'reply-confirm', token, now);
  if (link.kind !== 'valid') return link;
  const result = await confirmReplySubscription(db, link.subscription.id, autoApproveKnownAuthors, now);
  return result.kind === 'missing' ? { kind: 'invalid' } : result;
}

export type UnsubscribeOutcome = { kind: 'done' | 'already' } | { kind: 'invalid' };

/** The unsubscribe link (a click on the page's button, or a mail client's RFC 8058 one-click POST). */
export async function unsubscribe(db: Db, secret: string, token: unknown, now: Date): Promise<UnsubscribeOutcome> {
  const link = await readSubscriptionLink(db, secret, 'reply-unsubscribe', token, now);
  if (link.kind !== 'valid') return { kind: 'invalid' };
  const { found, ended } = await unsubscribeAddressOf(db, link.subscription.id, now);
  if (!found) return { kind: 'invalid' };
  return { kind: ended > 0 ? 'done' : 'already' };
}

export interface SweepContext {
  secret: string;
  origin: string;
  translator: Translator;
  /** A post's title by slug (posts live in files, not in the database). */
  titleOf: (slug: string) => Promise<string | undefined>;
  now: Date;
}

/**
 * Queues one mail for every approved reply whose parent's author has a confirmed, active
 * subscription and has not been told yet (never for their own replies). Returns how many.
 */
export async function queueDueReplyNotifications(db: Db, ctx: SweepContext): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await listDueReplyNotices(db);
    if (!due.length) return total;
    const notices = [];
    for (const notice of due) {
      const title = (await ctx.titleOf(notice.postSlug)) ?? notice.postSlug;
      const postUrl = `${ctx.origin}/posts/${notice.postSlug}`;
      const token = createSubscriptionToken(ctx.secret, 'reply-unsubscribe', notice.subscriptionId, notice.email, null);
      notices.push({
        replyId: notice.replyId,
        mail: replyMail(
          ctx.translator,
          notice.email,
          { title, url: postUrl },
          { authorName: notice.replyAuthorName, fromSite: notice.replyFromSite, bodySource: notice.replyBodySource, url: `${ctx.origin}/comments/${notice.replyId}` },
          unsubscribeUrl(ctx.origin, token),
        ),
      });
    }
    const queued = await queueReplyNotices(db, notices, ctx.now);
    total += queued;
    // Another process claimed them all: it sends them; stop rather than loop on the same rows.
    if (queued === 0) return total;
  }
}
