import { defineMiddleware, sequence } from 'astro:middleware';
import { getConfig } from './server/config';
import { i18n } from './server/i18n';
import { checkFormBody, isSameOrigin } from './server/request-guard';
import { SECURITY_HEADERS } from './server/http-headers';
import type { MessageId } from './i18n';
import { validateSessionToken } from './server/auth/sessions';
import { readSessionToken, setSessionCookie } from './server/auth/cookies';
import { db } from './server/db';
import { deliverDueMail } from './server/mailer';
import { isSecureRequest } from './server/request';
import { currentStamp, isCacheableRequest, readCachedPage, storeCachedPage } from './server/page-cache';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Astro loads this module on the first request: from then on, mail still queued from before a
// restart (say, the SMTP server was down) is retried without waiting for the next comment.
void deliverDueMail(db());

function refusal(status: number, message: MessageId): Response {
  const { t, locale } = i18n();
  const text = t(message);
  return new Response(
    `<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${text}</title><p>${text}</p><p><a href="/">${t('notFound.back')}</a></p></html>`,
    { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } },
  );
}

/** Origins a form may be posted from: SITE_URL, and the origin this request was addressed to. */
function allowedOrigins(request: Request): string[] {
  const origins = [getConfig().SITE_URL.toLowerCase()];
  const host = request.headers.get('host');
  if (host) {
    const proto = getConfig().TRUST_PROXY ? (request.headers.get('x-forwarded-proto') ?? 'http') : new URL(request.url).protocol.replace(':', '');
    origins.push(`${proto}://${host}`.toLowerCase());
  }
  return origins;
}

/** Untrusted input is screened once, here: cross-site posts, oversized or malformed bodies. */
const guardRequests = defineMiddleware(async (context, next) => {
  if (SAFE_METHODS.has(context.request.method)) return next();
  if (!isSameOrigin(context.request, allowedOrigins(context.request))) return refusal(403, 'form.error.crossSite');
  const problem = await checkFormBody(context.request);
  if (problem) {
    const messages: Record<typeof problem.reason, MessageId> = {
      tooLarge: 'form.error.tooLarge',
      unsupportedType: 'form.error.unsupportedType',
      malformed: 'form.error.malformed',
    };
    const message = messages[problem.reason];
    return refusal(problem.status, message);
  }
  return next();
});

/** Headers every rendered response carries (static files get them from the start script's server). */
const secureHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  const type = response.headers.get('content-type');
  if (type === 'text/html') response.headers.set('content-type', 'text/html; charset=utf-8');
  // Personal or state-changing responses must never be stored by a cache in between.
  const personal = context.url.pathname.startsWith('/admin') || context.url.pathname.startsWith('/_actions/') || !SAFE_METHODS.has(context.request.method);
  if (personal || context.request.headers.get('cookie')?.includes('aw_')) {
    response.headers.set('Cache-Control', 'private, no-store');
  }
  return response;
});

/** The action a request calls, from a form post (`?_action=`) or the RPC path (`/_actions/name`). */
function calledAction(url: URL): string | null {
  return url.searchParams.get('_action') ?? (url.pathname.startsWith('/_actions/') ? url.pathname.slice('/_actions/'.length) : null);
}

/**
 * Admin pages and admin actions need a moderator session: pages redirect to the login,
 * actions answer 401 before they run. Public pages never touch the session table.
 */
const requireModerator = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  const action = calledAction(context.url);
  const isAdminAction = !!action?.startsWith('admin.') && action !== 'admin.login';
  const isAdminPage = pathname === '/admin' || pathname.startsWith('/admin/');
  if (!isAdminAction && !isAdminPage) return next();

  const token = readSessionToken(context.cookies);
  const session = token ? validateSessionToken(db(), token, new Date()) : null;
  if (session) {
    context.locals.moderator = session.moderator;
    if (session.renewedUntil) setSessionCookie(context.cookies, token!, session.renewedUntil, isSecureRequest(context.request));
  }
  const isLoginPage = pathname === '/admin/login' || pathname === '/admin/login/';
  if (isLoginPage && !isAdminAction) return session && !action ? context.redirect('/admin', 303) : next();
  if (session) return next();
  if (isAdminAction || !SAFE_METHODS.has(context.request.method)) return refusal(401, 'admin.error.loginRequired');
  return context.redirect('/admin/login', 302);
});

/** Anonymous reads of public pages come from the page cache while the database is unchanged. */
const cachePages = defineMiddleware(async (context, next) => {
  if (!isCacheableRequest(context.request, context.url)) return next();
  const path = context.url.pathname;
  const hit = readCachedPage(path);
  if (hit) return hit;
  const stamp = currentStamp();
  const response = await next();
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || response.headers.has('set-cookie') || !/html|xml/.test(type)) return response;
  const html = await response.text();
  storeCachedPage(path, stamp, html, response.headers, context.locals.formToken ?? null);
  return new Response(html, { status: 200, headers: response.headers });
});

export const onRequest = sequence(secureHeaders, guardRequests, requireModerator, cachePages);
