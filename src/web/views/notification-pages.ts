import type { MessageId } from '../../i18n';
import { appSecret, db } from '../app';
import { listPosts } from '../content/posts';
import { readSubscriptionLink, unsubscribe, type ConfirmOutcome } from '../../services/reply-notifications';

/**
 * What the two pages behind the mailed links show. A GET never changes anything (mail scanners
 * fetch links): it shows one button, and only pressing it (a POST) confirms or unsubscribes.
 */
export interface LinkPageView {
  status: number;
  /** The message to show instead of a button (an outcome, or why the link cannot be used). */
  message: MessageId | null;
  /** The token for the button's form, when the button is shown. */
  token: string | null;
  postTitle: string | null;
  /** Where "Back to your comment" leads. */
  commentUrl: string | null;
}

const tokenOf = (url: URL) => url.searchParams.get('token') ?? '';

async function titleOf(slug: string): Promise<string> {
  return (await listPosts()).find((p) => p.slug === slug)?.title ?? slug;
}

const commentUrl = (slug: string, id: number) => `/posts/${slug}#comment-${id}`;

/** The confirmation page, before (GET) or after (the action's outcome) pressing the button. */
export async function confirmPageView(url: URL, outcome: ConfirmOutcome | undefined): Promise<LinkPageView> {
  if (outcome) {
    if (outcome.kind === 'invalid') return { status: 400, message: 'notify.link.invalid', token: null, postTitle: null, commentUrl: null };
    if (outcome.kind === 'expired') return { status: 410, message: 'notify.link.expired', token: null, postTitle: null, commentUrl: null };
    const message: MessageId =
      outcome.kind === 'confirmed' ? (outcome.approved ? 'notify.confirm.approved' : 'notify.confirm.done') : outcome.kind === 'already' ? 'notify.confirm.already' : 'notify.confirm.unsubscribed';
    return { status: 200, message, token: null, postTitle: await titleOf(outcome.postSlug), commentUrl: commentUrl(outcome.postSlug, outcome.commentId) };
  }
  const token = tokenOf(url);
  const link = await readSubscriptionLink(db(), appSecret(), 'reply-confirm', token, new Date());
  if (link.kind === 'invalid') return { status: 400, message: 'notify.link.invalid', token: null, postTitle: null, commentUrl: null };
  if (link.kind === 'expired') return { status: 410, message: 'notify.link.expired', token: null, postTitle: null, commentUrl: null };
  const { subscription } = link;
  const base = { status: 200, postTitle: await titleOf(subscription.postSlug), commentUrl: commentUrl(subscription.postSlug, subscription.commentId) };
  if (subscription.unsubscribedAt) return { ...base, message: 'notify.confirm.unsubscribed', token: null };
  if (subscription.confirmedAt) return { ...base, message: 'notify.confirm.already', token: null };
  return { ...base, message: null, token };
}

/**
 * The unsubscribe page: a GET shows the button; a POST (the button, or a mail client's RFC 8058
 * one-click request, which carries no cookie and no Origin) unsubscribes with the link alone.
 */
export async function unsubscribePageView(url: URL, method: string): Promise<LinkPageView> {
  const token = tokenOf(url);
  const none = { token: null, postTitle: null, commentUrl: null };
  if (method === 'POST') {
    const outcome = await unsubscribe(db(), appSecret(), token, new Date());
    if (outcome.kind === 'invalid') return { status: 400, message: 'notify.link.invalid', ...none };
    return { status: 200, message: outcome.kind === 'done' ? 'notify.unsubscribe.done' : 'notify.unsubscribe.already', ...none };
  }
  const link = await readSubscriptionLink(db(), appSecret(), 'reply-unsubscribe', token, new Date());
  if (link.kind !== 'valid') return { status: 400, message: 'notify.link.invalid', ...none };
  if (link.subscription.unsubscribedAt) return { status: 200, message: 'notify.unsubscribe.already', ...none };
  return { status: 200, message: null, token, postTitle: null, commentUrl: null };
}

/** The path whose POST needs no Origin header: RFC 8058 one-click unsubscribe comes from a mail provider. */
export const ONE_CLICK_UNSUBSCRIBE_PATH = '/notifications/unsubscribe';
