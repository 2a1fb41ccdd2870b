import type { ActionError } from 'astro:actions';
import type { MessageId } from '../i18n';

/** Maps an admin action's error to the message a moderator sees and the response status. */
export function adminErrorMessage(error: ActionError): { message: MessageId; params?: Record<string, number>; status: number } {
  const [reason, value] = error.message.split(':');
  const byReason: Record<string, MessageId> = {
    invalid: 'admin.login.invalid',
    missing: 'admin.login.missing',
    locked: 'admin.login.locked',
    busy: 'admin.login.busy',
    noSelection: 'admin.error.noSelection',
    action: 'admin.error.action',
    comment: 'admin.error.notFound',
    'login required': 'admin.error.loginRequired',
  };
  const status = error.status ?? 400;
  // `locked:<seconds>` and `busy:<seconds>` carry how long to wait; moderators read it in minutes.
  return { message: byReason[reason] ?? 'form.error.unknown', params: value ? { minutes: Math.max(1, Math.ceil(Number(value) / 60)) } : undefined, status };
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
