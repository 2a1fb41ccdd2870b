import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, randomBytes, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Signed and sealed values built on the server secret: form tokens, the commenter's
 * pending-comment list, the "remember me" cookie, and keyed hashes of client addresses.
 * Pure functions of (secret, input, now) so unit tests need no server.
 */

const b64 = (buf: Buffer) => buf.toString('base64url');

/** The secret as a key object, imported once: a form token is signed on every page served. */
let macKey: { secret: string; key: KeyObject } | undefined;

function keyOf(secret: string): KeyObject {
  if (macKey?.secret !== secret) macKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return macKey.key;
}

function mac(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${purpose}\0${value}`).digest('base64url');
}

/**
 * Nonces come from a pool of CSPRNG bytes filled 4 KiB at a time, each byte used once:
 * `randomBytes` per token costs more than the rest of serving a cached page.
 */
const noncePool = Buffer.alloc(4096);
let noncePoolUsed = noncePool.length;

function randomNonce(bytes: number): string {
  if (noncePoolUsed + bytes > noncePool.length) {
    randomFillSync(noncePool);
    noncePoolUsed = 0;
  }
  const nonce = noncePool.toString('base64url', noncePoolUsed, noncePoolUsed + bytes);
  noncePoolUsed += bytes;
  return nonce;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A keyed hash (hex): the same input gives the same output, but it cannot be reversed by lookup without the secret. */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${value}`).digest('hex');
}

/** How long a served comment form stays valid. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * A token embedded in the comment form: when it was served, for which post, and a random nonce
 * that makes each served form unique (a stored comment spends it: see `spent_form_tokens`).
 */
export function createFormToken(secret: string, postSlug: string, now: Date): string {
  const issued = String(now.getTime());
  const nonce = randomNonce(12);
  return `${issued}.${nonce}.${mac(secret, 'form', `${postSlug}\0${issued}\0${nonce}`)}`;
}

/**
 * `count` form tokens for one post, all issued at `issued`, as one buffer of equal-length
 * latin1 tokens (the front server signs them ahead on another thread: see form-token-pool.ts).
 * Its memory is its own, so it can be handed to another thread without copying.
 */
export function signFormTokens(secret: string, postSlug: string, issued: Date, count: number): Buffer {
  const first = createFormToken(secret, postSlug, issued);
  const tokens = Buffer.allocUnsafeSlow(first.length * count);
  tokens.write(first, 0, 'latin1');
  for (let i = 1; i < count; i++) {
    const token = createFormToken(secret, postSlug, issued);
    // Same issue time, fixed-size nonce and MAC: every token has the first one's length.
    if (token.length !== first.length) throw new Error('form tokens of one batch differ in length');
    tokens.write(token, i * first.length, 'latin1');
  }
  return tokens;
}

export type FormTokenCheck =
  | { state: 'valid'; ageSeconds: number; nonce: string; expiresAt: Date }
  | { state: 'missing' }
  | { state: 'forged' }
  | { state: 'expired' };

/** Checks a form token for a post; `expired` only for authentic tokens that are too old. */
export function checkFormToken(secret: string, postSlug: string, token: unknown, now: Date): FormTokenCheck {
  if (typeof token !== 'string' || token === '') return { state: 'missing' };
  const match = /^(\d{1,15})\.([\w-]{16})\.([\w-]{43})$/.exec(token);
  if (!match || !safeEqual(match[3], mac(secret, 'form', `${postSlug}\0${match[1]}\0${match[2]}`))) return { state: 'forged' };
  const issued = Number(match[1]);
  const ageMs = now.getTime() - issued;
  if (ageMs < -60_000) return { state: 'forged' };
  if (ageMs > FORM_TOKEN_MAX_AGE_MS) return { state: 'expired' };
  return { state: 'valid', ageSeconds: Math.max(0, ageMs / 1000), nonce: match[2], expiresAt: new Date(issued + FORM_TOKEN_MAX_AGE_MS) };
}

/** Signs a short list of ids (the commenter's own pending comments). */
export function encodeIdList(secret: string, purpose: string, ids: readonly number[]): string {
  const body = ids.join('-');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** Reads a signed id list; anything tampered or malformed reads as empty. */
export function decodeIdList(secret: string, purpose: string, value: string | undefined): number[] {
  if (!value) return [];
  const match = /^((?:\d{1,15})(?:-\d{1,15}){0,59})\.([\w-]{43})$/.exec(value);
  if (!match || !safeEqual(match[2], mac(secret, purpose, match[1]))) return [];
  return match[1].split('-').map(Number);
}

function sealKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`seal\0${purpose}\0${secret}`).digest();
}

/** Encrypts and authenticates a JSON value (AES-256-GCM), so a cookie reveals nothing in transit logs. */
export function sealJson(secret: string, purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret, purpose), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${b64(iv)}.${b64(data)}.${b64(cipher.getAuthTag())}`;
}

/** Opens a sealed value; undefined when tampered, malformed or sealed with another key. */
export function openJson(secret: string, purpose: string, sealed: string | undefined): unknown {
  if (!sealed) return undefined;
  const parts = sealed.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [iv, data, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
    // Node accepts GCM tags down to 4 bytes unless told the length: a truncated tag would be
    // far easier to forge, so only the full 16-byte tag (and the 12-byte IV we write) opens.
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret, purpose), iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A device token (OWASP "device cookies"): a random id for a browser in which a moderator has
 * logged in, bound to their email by a MAC. Login throttling trusts it to tell the owner's
 * browser from strangers guessing at the same address.
 */
export function createDeviceToken(secret: string, email: string): string {
  const id = b64(randomBytes(16));
  return `${id}.${mac(secret, 'device', `${id}\0${email.trim().toLowerCase()}`)}`;
}

/** The device id when `token` was issued for `email` (any case) with this secret, else null. */
export function deviceIdFromToken(secret: string, token: string | undefined, email: string): string | null {
  const match = token ? /^([\w-]{22})\.([\w-]{43})$/.exec(token) : null;
  if (!match || !safeEqual(match[2], mac(secret, 'device', `${match[1]}\0${email.trim().toLowerCase()}`))) return null;
  return match[1];
}

/** What a reply-notification link is for: each purpose has its own MAC, so one never works as the other. */
export type SubscriptionLinkPurpose = 'reply-confirm' | 'reply-unsubscribe';

/**
 * A link token for one reply subscription: its id, an expiry (0: none) and a MAC over both and
 * the subscribed address, keyed with the app secret and the purpose. Not guessable, and useless
 * for any other subscription, address or purpose.
 */
export function createSubscriptionToken(secret: string, purpose: SubscriptionLinkPurpose, subscriptionId: number, email: string, expiresAt: Date | null): string {
  const expiry = String(expiresAt?.getTime() ?? 0);
  return `${subscriptionId}.${expiry}.${mac(secret, purpose, `${subscriptionId}\0${expiry}\0${email.trim().toLowerCase()}`)}`;
}

export type SubscriptionTokenCheck = { state: 'valid'; subscriptionId: number } | { state: 'forged' } | { state: 'expired'; subscriptionId: number };

/** Reads a token's subscription id without trusting it; check it with `checkSubscriptionToken` once the address is known. */
export function subscriptionIdOf(token: unknown): number | null {
  const match = typeof token === 'string' ? /^([1-9]\d{0,15})\.(\d{1,15})\.([\w-]{43})$/.exec(token) : null;
  return match ? Number(match[1]) : null;
}

/** Checks a token against the subscription's address; `expired` only for authentic tokens past their time. */
export function checkSubscriptionToken(secret: string, purpose: SubscriptionLinkPurpose, token: unknown, email: string, now: Date): SubscriptionTokenCheck {
  const match = typeof token === 'string' ? /^([1-9]\d{0,15})\.(\d{1,15})\.([\w-]{43})$/.exec(token) : null;
  if (!match || !safeEqual(match[3], mac(secret, purpose, `${match[1]}\0${match[2]}\0${email.trim().toLowerCase()}`))) return { state: 'forged' };
  const expiry = Number(match[2]);
  if (expiry !== 0 && now.getTime() > expiry) return { state: 'expired', subscriptionId: Number(match[1]) };
  return { state: 'valid', subscriptionId: Number(match[1]) };
}

/** How long a moderation link in a notification mail works. */
export const MAIL_LINK_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** What a link in a notification mail may do: the three answers to a pending comment. */
export const MAIL_LINK_ACTIONS = ['approve', 'spam', 'trash'] as const;
export type MailLinkAction = (typeof MAIL_LINK_ACTIONS)[number];

/** What a mail link is bound to: one comment, one action, the moderator the mail went to. */
export interface MailLink {
  commentId: number;
  action: MailLinkAction;
  moderatorId: number;
}

/**
 * A moderation link's token: `<comment>.<action>.<moderator>.<issued ms>.<nonce>.<mac>`. The MAC
 * (keyed with the server secret) binds every part, so no part can be swapped; the nonce makes
 * each link unique, so its single use can be recorded (table `mail_link_uses`).
 */
export function createMailLinkToken(secret: string, link: MailLink, now: Date): string {
  const body = `${link.commentId}.${link.action}.${link.moderatorId}.${now.getTime()}.${b64(randomBytes(12))}`;
  return `${body}.${mac(secret, 'mail-link', body)}`;
}

export type MailLinkCheck =
  | { state: 'valid'; link: MailLink; nonce: string; issuedAt: Date }
  | { state: 'expired'; link: MailLink; nonce: string; issuedAt: Date }
  | { state: 'forged' };

/** Checks a mail link's token; `expired` only for authentic tokens older than seven days. */
export function checkMailLinkToken(secret: string, token: unknown, now: Date): MailLinkCheck {
  if (typeof token !== 'string') return { state: 'forged' };
  const match = /^([1-9]\d{0,15})\.(approve|spam|trash)\.([1-9]\d{0,15})\.(\d{1,15})\.([\w-]{16})\.([\w-]{43})$/.exec(token);
  if (!match) return { state: 'forged' };
  const body = token.slice(0, token.lastIndexOf('.'));
  if (!safeEqual(match[6], mac(secret, 'mail-link', body))) return { state: 'forged' };
  const issuedAt = new Date(Number(match[4]));
  // A token from the future was not made by this server's clock (allow a minute of skew).
  if (issuedAt.getTime() - now.getTime() > 60_000) return { state: 'forged' };
  const link: MailLink = { commentId: Number(match[1]), action: match[2] as MailLinkAction, moderatorId: Number(match[3]) };
  const state = now.getTime() - issuedAt.getTime() > MAIL_LINK_MAX_AGE_MS ? 'expired' : 'valid';
  return { state, link, nonce: match[5], issuedAt };
}
