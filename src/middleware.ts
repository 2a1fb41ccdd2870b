import { getActionContext } from 'astro:actions';
import { defineMiddleware, sequence } from 'astro:middleware';
import type { APIContext } from 'astro';
import { server as actionHandlers } from './actions';
import { actionPath, checkRequestPath, isAdminPath } from './web/http/request-path';
import { getConfig } from './services/config';
import { i18n } from './web/i18n';
import { checkFormBody, isSameOrigin } from './web/request-guard';
import { SECURITY_HEADERS } from './web/http/headers';
import type { MessageId } from './i18n';
import { validateSessionToken } from './services/auth/sessions';
import { readSessionToken, setSessionCookie } from './web/cookies/auth';
import { app, startWebApp } from './web/app';
import { carriesPersonalCookie } from './web/cookies/personal';
import { runMailQueue } from './web/mail-queue';
import { ONE_CLICK_UNSUBSCRIBE_PATH } from './web/views/notification-pages';
import { isSecureRequest } from './web/request';
import { FORM_TOKEN_HEADER, isAnonymousRead, PAGE_CACHE_HEADER } from './web/http/cacheable';
import { compressedPage } from './web/http/compressed-page';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether this process has swept for due reply notifications since it started. */
let replySweepStarted = false;

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
  // RFC 8058: the mail provider posts the one-click unsubscribe itself (no Origin, no cookie);
  // the signed link is the authority there, and the request can do nothing else.
  const oneClick = context.routePattern === ONE_CLICK_UNSUBSCRIBE_PATH && context.locals.calledAction === null;
  if (!oneClick && !isSameOrigin(context.request, allowedOrigins(context.request))) return refusal(403, 'form.error.crossSite');
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

/**
 * What a request is, decided once, here, on what the router and the actions pipeline will
 * actually run: the matched route pattern and the action name as Astro resolves it. Every
 * later check (session, cache, headers) reads `locals.area`, never the raw path again.
 */
const classifyRequest = defineMiddleware(async (context, next) => {
  // The front server refuses or redirects odd spellings before Astro sees them; this
  // covers `npm run dev`, which does not go through it.
  const verdict = checkRequestPath(context.url.pathname + context.url.search);
  if (verdict.kind === 'refuse') return refusal(400, 'error.badAddress');
  if (verdict.kind === 'redirect') return SAFE_METHODS.has(context.request.method) ? context.redirect(verdict.location, 301) : refusal(400, 'error.badAddress');

  const action = calledAction(context);
  if (action === 'unknown') return refusal(404, 'error.unknownAction');
  const adminPage = isAdminPath(context.routePattern) || isAdminPath(decodedPath(context.url.pathname));
  context.locals.area = adminPage || action?.admin ? 'admin' : 'public';
  context.locals.calledAction = action?.name ?? null;
  return next();
});

function decodedPath(pathname: string): string {
  try {
    return decodeURI(pathname);
  } catch {
    return pathname;
  }
}

/** Every action name the app defines (`comments.submit`, `admin.moderate`…), from the handlers themselves. */
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(
  Object.entries(actionHandlers).flatMap(([group, handlers]) => Object.keys(handlers).map((name) => `${group}.${name}`)),
);

/**
 * The action this request will run, read with Astro's own parser (`getActionContext`: the RPC
 * path wins over `?_action=`, keys are URI-decoded) and looked up among our handlers; `unknown`
 * for a name that resolves to none of them (Astro would otherwise walk into object prototypes).
 */
function calledAction(context: APIContext): { name: string; admin: boolean } | 'unknown' | null {
  const { action } = getActionContext(context);
  if (!action) return null;
  const path = actionPath(action.name.replace(/\/$/, ''));
  const name = path?.join('.');
  if (!name || !KNOWN_ACTIONS.has(name)) return 'unknown';
  return { name, admin: path![0] === 'admin' && name !== 'admin.login' };
}

/** Headers every rendered response carries (static files get them from the front server). */
const secureHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  const retryAfter = context.locals.retryAfterSeconds;
  if (retryAfter && (response.status === 429 || response.status === 503)) response.headers.set('Retry-After', String(retryAfter));
  const type = response.headers.get('content-type');
  if (type === 'text/html') response.headers.set('content-type', 'text/html; charset=utf-8');
  // Personal or state-changing responses must never be stored by a cache in between.
  const personal = context.locals.area === 'admin' || context.locals.calledAction !== null || !SAFE_METHODS.has(context.request.method);
  if (personal || carriesPersonalCookie(context.request.headers.get('cookie'))) {
    response.headers.set('Cache-Control', 'private, no-store');
  }
  return response;
});

/**
 * Admin pages and admin actions need a moderator session: pages redirect to the login,
 * actions answer 401 before they run. Public pages never touch the session table.
 */
const requireModerator = defineMiddleware(async (context, next) => {
  if (context.locals.area !== 'admin') return next();
  const action = context.locals.calledAction ?? null;
  const isAdminAction = action !== null && action.startsWith('admin.') && action !== 'admin.login';

  const token = readSessionToken(context.cookies);
  const session = token ? await validateSessionToken(app().db, token, new Date()) : null;
  if (session) {
    context.locals.moderator = session.moderator;
    if (session.renewedUntil) setSessionCookie(context.cookies, token!, session.renewedUntil, isSecureRequest(context.request));
  }
  const isLoginPage = context.routePattern === '/admin/login';
  if (isLoginPage && !isAdminAction) return session && !action ? context.redirect('/admin', 303) : next();
  if (session) return next();
  if (isAdminAction || !SAFE_METHODS.has(context.request.method)) return refusal(401, 'admin.error.loginRequired');
  return context.redirect('/admin/login', 302);
});

/**
 * The front server keeps anonymous reads of public pages (src/web/http/front.ts) and asks the
 * app to render one when it is missing or stale. The app confirms that the page may be kept
 * (a public route, no action) and says where the form token is, which the front replaces in
 * every response it serves from the cache.
 */
const offerToPageCache = defineMiddleware(async (context, next) => {
  const response = await next();
  const { request, url } = context;
  if (request.headers.get(PAGE_CACHE_HEADER) !== 'render') return response;
  if (context.locals.area !== 'public' || context.locals.calledAction !== null || !isAnonymousRead(request.method, url.pathname + url.search, request.headers.get('cookie'))) return response;
  response.headers.set(PAGE_CACHE_HEADER, 'store');
  const token = context.locals.formToken;
  if (token) response.headers.set(FORM_TOKEN_HEADER, `${token.slug} ${token.value}`);
  return response;
});

/**
 * Pages the front server does not keep (a commenter's personal page, `?replyto=`, a comment
 * page a query string keeps out of the cache) are compressed here; the cache compresses its
 * own. Only public pages answered to a GET: admin pages show what strangers submitted beside
 * what an attacker would like to read (the setting a BREACH-style size oracle needs), and the
 * answer to a POST reflects what was just sent. A reader's page reflects nothing their request
 * chooses, and its one secret, the form token, is new in every response.
 */
const compressPages = defineMiddleware(async (context, next) => {
  const response = await next();
  if (context.request.method !== 'GET' || context.locals.area !== 'public' || context.locals.calledAction !== null) return response;
  // A page for the cache goes to the front as it is (it splices the form token into its own compression).
  if (response.status !== 200 || response.headers.get(PAGE_CACHE_HEADER) === 'store') return response;
  return compressedPage(context.request.headers.get('accept-encoding'), response);
});

const handleRequest = sequence(compressPages, secureHeaders, classifyRequest, guardRequests, requireModerator, offerToPageCache);

/** Routes prerendered at build time (the hero image manifest) have no request, session or database. */
export const onRequest = defineMiddleware(async (context, next) => {
  if (context.isPrerendered) return next();
  // Started on the first request, not at import: `astro build` loads this module to prerender.
  await startWebApp();
  if (!replySweepStarted) {
    // Replies approved while the server was down (or from the command line) are mailed now.
    replySweepStarted = true;
    runMailQueue();
  }
  if (SAFE_METHODS.has(context.request.method)) return (await handleRequest(context, next)) as Response;
  // A write may have approved a reply (or queued a mail): the outgoing side runs after it.
  try {
    return (await handleRequest(context, next)) as Response;
  } finally {
    runMailQueue();
  }
});
