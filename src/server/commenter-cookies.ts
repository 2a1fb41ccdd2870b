import type { AstroCookies } from 'astro';
import { decodeIdList, encodeIdList, openJson, sealJson } from './tokens';

/**
 * The commenter's two cookies: the signed list of their own pending comments (so they alone
 * see them "awaiting moderation") and the sealed "remember me" details (so the email is
 * never readable in the cookie). Both HttpOnly; nothing in them is trusted without the key.
 */

const PENDING_COOKIE = 'aw_pending';
const REMEMBER_COOKIE = 'aw_commenter';
const MAX_PENDING_IDS = 20;

export interface RememberedCommenter {
  name: string;
  email: string;
  website: string;
}

function cookieOptions(secure: boolean, maxAgeDays: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeDays * 24 * 60 * 60 };
}

export function readPendingIds(cookies: AstroCookies, secret: string): number[] {
  return decodeIdList(secret, 'pending', cookies.get(PENDING_COOKIE)?.value);
}

export function addPendingId(cookies: AstroCookies, secret: string, id: number, secure: boolean): void {
  const ids = [...readPendingIds(cookies, secret).filter((x) => x !== id), id].slice(-MAX_PENDING_IDS);
  cookies.set(PENDING_COOKIE, encodeIdList(secret, 'pending', ids), cookieOptions(secure, 30));
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
  return !!cookieHeader && (cookieHeader.includes(`${PENDING_COOKIE}=`) || cookieHeader.includes(`${REMEMBER_COOKIE}=`));
}
