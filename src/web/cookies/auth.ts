import type { AstroCookies } from 'astro';
import { SESSION_COOKIE } from '../../services/auth/sessions';

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

const DEVICE_COOKIE = 'aw_device';

/**
 * The device cookie: marks a browser in which this moderator logged in, so strangers guessing
 * at their email do not lock them out. Sent only to /admin, where the login form posts.
 */
export function setDeviceCookie(cookies: AstroCookies, token: string, secure: boolean): void {
  cookies.set(DEVICE_COOKIE, token, { path: '/admin', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 24 * 60 * 60 });
}

export function readDeviceToken(cookies: AstroCookies): string | undefined {
  return cookies.get(DEVICE_COOKIE)?.value;
}
