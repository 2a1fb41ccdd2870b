/**
 * Webhooks: what a site's configured URLs receive when a comment awaits moderation or is
 * published, and how each POST is signed. Pure (crypto only): the service queues the payloads
 * and the outgoing queue sends them (src/services/webhooks.ts).
 *
 * Signature (documented in the README): `X-Afterword-Signature: sha256=<hex>` where hex is
 * HMAC-SHA256(secret, raw request body). The body carries `timestamp` (Unix seconds of this
 * attempt, also in `X-Afterword-Timestamp`) and `deliveryId`, so the signature covers both: a
 * receiver refuses old timestamps and repeated delivery ids, and a replay cannot refresh them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookEvent = 'comment.pending' | 'comment.published';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = Object.freeze(['comment.pending', 'comment.published'] as const);

/** At most this many URLs: each event is one POST per URL, and a handful covers chat, CI and a log. */
export const MAX_WEBHOOK_URLS = 3;
export const MAX_WEBHOOK_URL_LENGTH = 500;
/** How much of the comment's text the Slack-style `text` line quotes. */
const TEXT_EXCERPT = 300;

export type WebhookUrlsResult = { ok: true; urls: string[] } | { ok: false; error: 'url'; entry: string } | { ok: false; error: 'tooMany' };

/**
 * Reads the rules page's webhook field: one http(s) URL per line (blank lines ignored, duplicates
 * dropped). Credentials in the URL are refused (they would be shown on the rules page to every
 * moderator; use the signature instead).
 */
export function parseWebhookUrls(text: string): WebhookUrlsResult {
  const urls: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === '') continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return { ok: false, error: 'url', entry };
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || entry.length > MAX_WEBHOOK_URL_LENGTH || !url.hostname) {
      return { ok: false, error: 'url', entry };
    }
    if (!urls.includes(url.href)) urls.push(url.href);
  }
  if (urls.length > MAX_WEBHOOK_URLS) return { ok: false, error: 'tooMany' };
  return { ok: true, urls };
}

/** What the payload says about the comment. Never the author's email: webhooks often post into chat rooms. */
export interface WebhookComment {
  id: number;
  status: 'pending' | 'approved';
  parentId: number | null;
  authorName: string;
  authorUrl: string | null;
  /** As the commenter typed it (Markdown-ish plain text, not HTML). */
  text: string;
  createdAt: Date;
}

export interface WebhookPost {
  slug: string;
  title: string;
}

/** The JSON body, before the per-attempt `deliveryId` and `timestamp` are added. */
export interface WebhookPayload {
  event: WebhookEvent;
  /** A one-line summary, so a Slack- or Matrix-compatible incoming hook shows it as it is. */
  text: string;
  site: string;
  post: { slug: string; title: string; url: string };
  comment: Omit<WebhookComment, 'createdAt'> & {
    createdAt: string;
    /** Public link (works once the comment is approved). */
    permalink: string;
    /** The comment's page in the moderation screen (login needed). */
    moderationUrl: string;
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped, a commenter cannot forge links or mentions. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > TEXT_EXCERPT ? `${chars.slice(0, TEXT_EXCERPT).join('')}…` : flat;
}

/** The payload for one event about one comment. `origin` is SITE_URL (no trailing slash needed). */
export function buildWebhookPayload(event: WebhookEvent, comment: WebhookComment, post: WebhookPost, origin: string): WebhookPayload {
  const site = origin.replace(/\/+$/, '');
  const postUrl = `${site}/posts/${encodeURIComponent(post.slug)}`;
  const permalink = `${site}/comments/${comment.id}`;
  const moderationUrl = `${site}/admin/comments/${comment.id}`;
  const what = event === 'comment.pending' ? 'New comment awaiting moderation' : 'New comment published';
  const link = event === 'comment.pending' ? moderationUrl : permalink;
  return {
    event,
    text: `${what} on “${slackEscape(post.title)}” by ${slackEscape(comment.authorName)}: ${slackEscape(excerpt(comment.text))} ${link}`,
    site,
    post: { slug: post.slug, title: post.title, url: postUrl },
    comment: {
      id: comment.id,
      status: comment.status,
      parentId: comment.parentId,
      authorName: comment.authorName,
      authorUrl: comment.authorUrl,
      text: comment.text,
      createdAt: comment.createdAt.toISOString(),
      permalink,
      moderationUrl,
    },
  };
}

/** The exact bytes one attempt sends: the payload plus its delivery id and the attempt's time. */
export function webhookBody(payload: WebhookPayload, deliveryId: number, now: Date): { body: string; timestamp: number } {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { body: JSON.stringify({ ...payload, deliveryId, timestamp }), timestamp };
}

/** The `X-Afterword-Signature` value for a body. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** How a receiver checks a delivery (also what the README shows): constant-time compare, then the timestamp's age. */
export function verifyWebhookSignature(secret: string, body: string, signature: string, now: Date, toleranceSeconds = 300): boolean {
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  try {
    const { timestamp } = JSON.parse(body) as { timestamp?: unknown };
    return typeof timestamp === 'number' && Math.abs(now.getTime() / 1000 - timestamp) <= toleranceSeconds;
  } catch {
    return false;
  }
}

/**
 * Minutes to wait before the next attempt after `attempts` failures: 1, 2, 4 … capped at an
 * hour (the mail queue's schedule), for at most `MAX_DELIVERY_ATTEMPTS` attempts.
 */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts));
}
export const MAX_DELIVERY_ATTEMPTS = 10;
