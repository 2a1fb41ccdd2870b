import { ActionError, type ActionAPIContext, type ActionErrorCode } from 'astro:actions';
import type { CommentRefusal } from '../services/comments';
import type { LoginRefusal } from '../services/auth/login';
import type { OwnRefusal } from '../services/own-comments';

/**
 * The one codec for refusals crossing the action/page boundary. Actions `refuse(…)` with a typed
 * refusal; pages (no-JS form posts) `readRefusal(…)` it back from the action result. Astro's
 * ActionError carries only a code and a message, so the refusal travels as JSON in the message.
 * A new reason is added to its service's union; the compiler then asks for its HTTP code here
 * and for its message on the page that shows it.
 */
export type Refusal =
  | CommentRefusal
  | LoginRefusal
  | OwnRefusal
  | { reason: 'postNotFound' | 'commentNotFound' | 'badId' | 'missing' | 'loginRequired' | 'unknownAction' | 'noSelection' };

export type RefusalReason = Refusal['reason'];

const CODES: { readonly [R in RefusalReason]: ActionErrorCode } = {
  closed: 'FORBIDDEN',
  expired: 'BAD_REQUEST',
  used: 'BAD_REQUEST',
  parentNotFound: 'BAD_REQUEST',
  duplicate: 'CONFLICT',
  flood: 'TOO_MANY_REQUESTS',
  invalid: 'UNAUTHORIZED',
  locked: 'TOO_MANY_REQUESTS',
  busy: 'SERVICE_UNAVAILABLE',
  postNotFound: 'NOT_FOUND',
  commentNotFound: 'NOT_FOUND',
  badId: 'BAD_REQUEST',
  missing: 'BAD_REQUEST',
  loginRequired: 'UNAUTHORIZED',
  unknownAction: 'BAD_REQUEST',
  noSelection: 'BAD_REQUEST',
  notYours: 'FORBIDDEN',
  editWindowClosed: 'FORBIDDEN',
};

const isReason = (value: unknown): value is RefusalReason => typeof value === 'string' && Object.hasOwn(CODES, value);

/**
 * Ends an action with this refusal. A refusal that says when to retry also sets the response's
 * Retry-After (the middleware turns `locals.retryAfterSeconds` into the header, for the form page
 * and the RPC answer alike).
 */
export function refuse(context: Pick<ActionAPIContext, 'locals'>, refusal: Refusal): never {
  if ('retryAfterSeconds' in refusal) context.locals.retryAfterSeconds = refusal.retryAfterSeconds;
  throw new ActionError({ code: CODES[refusal.reason], message: JSON.stringify(refusal) });
}

/** The refusal an action ended with, or undefined for any other error (Astro's own, a crash). */
export function readRefusal(error: ActionError | undefined): Refusal | undefined {
  if (!error) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(error.message);
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null || !isReason((decoded as { reason?: unknown }).reason)) return undefined;
  const { reason, retryAfterSeconds } = decoded as { reason: RefusalReason; retryAfterSeconds?: unknown };
  if (reason === 'flood' || reason === 'locked' || reason === 'busy') {
    return typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) ? { reason, retryAfterSeconds } : undefined;
  }
  return { reason };
}
