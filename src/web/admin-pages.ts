import type { ActionError } from 'astro:actions';
import type { MessageId } from '../i18n';
import { readRefusal, type RefusalReason } from './action-results';

const ADMIN_MESSAGES: Partial<Record<RefusalReason, MessageId>> = {
  invalid: 'admin.login.invalid',
  missing: 'admin.login.missing',
  locked: 'admin.login.locked',
  busy: 'admin.login.busy',
  noSelection: 'admin.error.noSelection',
  unknownAction: 'admin.error.action',
  commentNotFound: 'admin.error.notFound',
  loginRequired: 'admin.error.loginRequired',
};

/** Maps an admin action's error to the message a moderator sees and the response status. */
export function adminErrorMessage(error: ActionError): { message: MessageId; params?: Record<string, number>; status: number } {
  const refusal = readRefusal(error);
  const status = error.status ?? 400;
  // A lockout says how long to wait; moderators read it in minutes.
  const params = refusal && 'retryAfterSeconds' in refusal ? { minutes: Math.max(1, Math.ceil(refusal.retryAfterSeconds / 60)) } : undefined;
  return { message: (refusal && ADMIN_MESSAGES[refusal.reason]) ?? 'form.error.unknown', params, status };
}

/** The current URL without the `_action` parameter, for redirects after an action (POST → 303 → GET). */
export function withoutAction(url: URL, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(url.search);
  params.delete('_action');
  for (const key of ['done', 'n']) params.delete(key);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ''}`;
}

/** The current page's URL (filters kept) posting to an action (`actions.x` is `?_action=x`). */
export function actionUrl(url: URL, action: string): string {
  const params = new URLSearchParams(url.search);
  for (const key of ['_action', 'done', 'n']) params.delete(key);
  params.set('_action', new URLSearchParams(action.replace(/^\?/, '')).get('_action') ?? '');
  return `${url.pathname}?${params}`;
}

/** What the pin / unpin / block / unblock actions answer (see `idAction` in src/actions). */
export type ItemActionResult = { ok: true; done: 'pin' | 'unpin' | 'block' | 'unblock' } | { ok: false; done: string; reason: string; max?: number };

const ITEM_DONE = new Set(['pin', 'unpin', 'block', 'unblock']);

/** The `done=` notice of a pin / unpin / block / unblock after its redirect, if that is what it names. */
export function itemDoneMessage(done: string | null): MessageId | null {
  return done && ITEM_DONE.has(done) ? (`admin.done.${done}` as MessageId) : null;
}

/** The message and status for a refused pin / unpin / block / unblock. */
export function itemRefusalMessage(result: Extract<ItemActionResult, { ok: false }>): { message: MessageId; params?: Record<string, number>; status: number } {
  const messages: Record<string, MessageId> = {
    notApproved: 'admin.error.pin.notApproved',
    notTopLevel: 'admin.error.pin.notTopLevel',
    tooMany: 'admin.error.pin.tooMany',
    fromSite: 'admin.error.block.fromSite',
    notFound: result.done === 'unblock' ? 'admin.error.unblock.notFound' : 'admin.error.notFound',
  };
  return { message: messages[result.reason] ?? 'form.error.unknown', params: result.max ? { max: result.max } : undefined, status: result.reason === 'notFound' ? 404 : 409 };
}
