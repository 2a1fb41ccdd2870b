import type { ActionError } from 'astro:actions';
import type { MessageKey } from '../domain/comments/messages';
import type { CommentField } from '../domain/comments/validation';
import type { MessageId } from '../i18n';
import type { CommentRefusal } from '../services/comments';
import { readRefusal } from './action-results';
import type { RememberedCommenter } from './cookies/commenter';
import { typedForm } from './typed-form';

/** What the comment form shows: the values to put back, errors per field, a form-level notice. */
export interface CommentFormState {
  values: { name: string; email: string; website: string; comment: string; parent: string; remember: boolean; notify: boolean };
  errors: Partial<Record<CommentField, MessageId>>;
  notice: MessageId | null;
  noticeParams?: Record<string, string | number>;
  status: number;
}

type SubmitResult =
  | { data: { ok: false; errors: Partial<Record<CommentField, MessageKey>> } | { ok: true }; error: undefined }
  | { data: undefined; error: ActionError };

const STATUS_BY_CODE: Record<string, number> = { FORBIDDEN: 403, CONFLICT: 409, TOO_MANY_REQUESTS: 429, NOT_FOUND: 404, BAD_REQUEST: 400 };

const NOTICES: { readonly [R in CommentRefusal['reason']]: MessageId } = {
  closed: 'form.error.closed',
  expired: 'form.error.expired',
  used: 'form.error.used',
  parentNotFound: 'form.error.parentNotFound',
  duplicate: 'form.error.duplicate',
  flood: 'form.error.flood',
};

/** The empty form, pre-filled from "remember me" when the commenter chose it. */
export function initialFormState(remembered: RememberedCommenter | undefined, replyTo: number | null): CommentFormState {
  return {
    values: {
      name: remembered?.name ?? '',
      email: remembered?.email ?? '',
      website: remembered?.website ?? '',
      comment: '',
      parent: replyTo === null ? '' : String(replyTo),
      remember: !!remembered,
      // Opt-in each time: reply mails are asked for per comment, never pre-ticked.
      notify: false,
    },
    errors: {},
    notice: null,
    status: 200,
  };
}

/**
 * The form after a failed submission: everything the user typed, exactly as typed, with a
 * message per invalid field or one notice for a refusal (closed, flood, duplicate…).
 */
export function failedFormState(result: SubmitResult, submitted: FormData | null): CommentFormState {
  const typed = typedForm(submitted);
  const values = {
    name: typed.text('name'),
    email: typed.text('email'),
    website: typed.text('website'),
    comment: typed.text('comment'),
    parent: typed.text('parent'),
    remember: typed.checked('remember'),
    notify: typed.checked('notify'),
  };
  if (result.error) {
    const refusal = readRefusal(result.error);
    return {
      values,
      errors: {},
      notice: refusal && Object.hasOwn(NOTICES, refusal.reason) ? NOTICES[refusal.reason as CommentRefusal['reason']] : 'form.error.unknown',
      noticeParams: refusal && 'retryAfterSeconds' in refusal ? { seconds: refusal.retryAfterSeconds } : undefined,
      status: STATUS_BY_CODE[result.error.code] ?? 400,
    };
  }
  const errors: CommentFormState['errors'] = {};
  if (result.data && !result.data.ok) {
    for (const [field, key] of Object.entries(result.data.errors)) errors[field as CommentField] = `form.error.${key}` as MessageId;
  }
  return { values, errors, notice: null, status: 400 };
}
