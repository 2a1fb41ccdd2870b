import type { AstroCookies } from 'astro';
import { SESSION_COOKIE } from './sessions';

/** The session cookie: HttpOnly, SameSite=Lax, Secure under HTTPS, expiring with the session. */
export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: Date, secure: boolean): void {
  cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export function clearSessionCookie(cookies: AstroCookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/' });
}

export function readSessionToken(cookies: AstroCookies): string | undefined {
  return cookies.get(SESSION_COOKIE)?.value;
}
