import type { AstroCookies } from 'astro';
import { decodeIdList, encodeIdList, openJson, sealJson } from '../../services/tokens';

/**
 * The commenter's two cookies: the signed list of the comments this browser wrote (so they
 * alone see theirs "awaiting moderation", and an approved one proves who they are when they
 * comment again) and the sealed "remember me" details (so the email is never readable in the
 * cookie). Both HttpOnly; nothing in them is trusted without the key.
 */

const OWN_COMMENTS_COOKIE = 'aw_own';
const REMEMBER_COOKIE = 'aw_commenter';
/** Enough to recognise a regular commenter; a signed list of 50 ids stays well under 1 KB. */
const MAX_OWN_IDS = 50;

export interface RememberedCommenter {
  name: string;
  email: string;
  website: string;
}

function cookieOptions(secure: boolean, maxAgeDays: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeDays * 24 * 60 * 60 };
}

/** The ids of the comments this browser wrote (newest last); empty when absent or tampered with. */
export function readOwnCommentIds(cookies: AstroCookies, secret: string): number[] {
  return decodeIdList(secret, 'own-comments', cookies.get(OWN_COMMENTS_COOKIE)?.value);
}

export function addOwnCommentId(cookies: AstroCookies, secret: string, id: number, secure: boolean): void {
  const ids = [...readOwnCommentIds(cookies, secret).filter((x) => x !== id), id].slice(-MAX_OWN_IDS);
  cookies.set(OWN_COMMENTS_COOKIE, encodeIdList(secret, 'own-comments', ids), cookieOptions(secure, 365));
}

export function readRemembered(cookies: AstroCookies, secret: string): RememberedCommenter | undefined {
  const value = openJson(secret, 'remember', cookies.get(REMEMBER_COOKIE)?.value) as Partial<RememberedCommenter> | undefined;
  if (!value || typeof value.name !== 'string' || typeof value.email !== 'string') return undefined;
  return { name: value.name, email: value.email, website: typeof value.website === 'string' ? value.website : '' };
}

export function rememberCommenter(cookies: AstroCookies, secret: string, who: RememberedCommenter, secure: boolean): void {
  cookies.set(REMEMBER_COOKIE, sealJson(secret, 'remember', who), cookieOptions(secure, 365));
}

export function forgetCommenter(cookies: AstroCookies): void {
  cookies.delete(REMEMBER_COOKIE, { path: '/' });
}

/** Whether the request carries any commenter cookie (such pages are personal: never cached). */
export function hasCommenterCookies(cookieHeader: string | null): boolean {
  return !!cookieHeader && (cookieHeader.includes(`${OWN_COMMENTS_COOKIE}=`) || cookieHeader.includes(`${REMEMBER_COOKIE}=`));
}
