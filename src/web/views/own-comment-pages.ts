import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { changeDeadline } from '../../domain/comments/own-comment';
import type { CommentField } from '../../domain/comments/validation';
import type { MessageId } from '../../i18n';
import { getConfig } from '../../services/config';
import { loadOwnComment, type OwnAccess, type OwnRefusal } from '../../services/own-comments';
import { readRefusal } from '../action-results';
import { appSecret, db } from '../app';
import { readOwnCommentIds } from '../cookies/commenter';
import { i18n } from '../i18n';

/**
 * The pages a commenter reaches from Edit and Delete on their own comment. Each shows the
 * server's verdict (yours, in time, still there) whatever the thread showed; a refused save
 * keeps everything typed.
 */

export interface OwnCommentPage {
  status: number;
  /** Why the comment cannot be changed (or why the save was refused); null: the form is shown. */
  notice: MessageId | null;
  /** The form's values: the comment as stored, or what was typed. Null: no form. */
  values: { name: string; email: string; website: string; comment: string } | null;
  errors: Partial<Record<CommentField, MessageId>>;
  id: number;
  postSlug: string | null;
  /** "until …" for the intro. */
  deadline: string | null;
}

const REFUSAL_MESSAGES: Record<OwnRefusal['reason'], MessageId> = {
  notYours: 'own.error.notYours',
  editWindowClosed: 'own.error.expired',
  commentNotFound: 'own.error.gone',
};
const REFUSAL_STATUS: Record<OwnRefusal['reason'], number> = { notYours: 403, editWindowClosed: 403, commentNotFound: 404 };

function access(Astro: AstroGlobal): OwnAccess {
  return { ownCommentIds: readOwnCommentIds(Astro.cookies, appSecret()), now: new Date(), editMinutes: getConfig().COMMENT_EDIT_MINUTES };
}

function parseId(Astro: AstroGlobal): number | null {
  const raw = Astro.params.id ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');

/** The reason an edit or delete was refused; anything else (a forged id, a crash) reads as "no longer there". */
function refusalOf(error: Parameters<typeof readRefusal>[0]): OwnRefusal['reason'] {
  const reason = readRefusal(error)?.reason;
  return reason === 'notYours' || reason === 'editWindowClosed' || reason === 'commentNotFound' ? reason : 'commentNotFound';
}

/** The edit page: the form with the comment, a refused save with the typed text, or a redirect after saving. */
export async function loadEditPage(Astro: AstroGlobal): Promise<OwnCommentPage | { redirect: string } | null> {
  const id = parseId(Astro);
  if (id === null) return null;
  const result = Astro.getActionResult(actions.comments.edit);
  // Through the stable address: the comment may be on any comment page of the post.
  if (result?.data?.ok) return { redirect: `/comments/${id}` };
  const found = await loadOwnComment(db(), id, access(Astro));
  const comment = found.kind === 'ok' ? found.comment : null;
  const deadline = comment ? changeDeadline(comment, getConfig().COMMENT_EDIT_MINUTES) : null;
  const base = { id, postSlug: comment?.postSlug ?? null, deadline: deadline ? i18n().formatDateTime(deadline) : null };

  if (result) {
    const submitted = await Astro.request.formData().catch(() => null);
    const values = { name: text(submitted?.get('name') ?? null), email: text(submitted?.get('email') ?? null), website: text(submitted?.get('website') ?? null), comment: text(submitted?.get('comment') ?? null) };
    if (result.error) {
      const reason = refusalOf(result.error);
      // The words typed are never lost: shown again under the refusal, ready to copy.
      return { ...base, status: REFUSAL_STATUS[reason], notice: reason === 'editWindowClosed' ? 'own.error.expiredKept' : REFUSAL_MESSAGES[reason], values, errors: {} };
    }
    const errors: OwnCommentPage['errors'] = {};
    if (result.data && !result.data.ok) {
      for (const [field, key] of Object.entries(result.data.errors)) errors[field as CommentField] = `form.error.${key}` as MessageId;
    }
    return { ...base, status: 400, notice: null, values, errors };
  }
  if (found.kind === 'refused') return { ...base, status: REFUSAL_STATUS[found.refusal.reason], notice: REFUSAL_MESSAGES[found.refusal.reason], values: null, errors: {} };
  const values = { name: comment!.authorName, email: comment!.authorEmail, website: comment!.authorUrl ?? '', comment: comment!.bodySource };
  return { ...base, status: 200, notice: null, values, errors: {} };
}

/** The delete page: the confirming button, a refusal, or a redirect to the post after deleting. */
export async function loadDeletePage(Astro: AstroGlobal): Promise<(OwnCommentPage & { bodyHtml: string | null }) | { redirect: string } | null> {
  const id = parseId(Astro);
  if (id === null) return null;
  const result = Astro.getActionResult(actions.comments.delete);
  if (result?.data?.ok) return { redirect: `/posts/${result.data.slug}#comments` };
  const found = await loadOwnComment(db(), id, access(Astro));
  const base = { id, values: null, errors: {}, deadline: null };
  if (result?.error) {
    const reason = refusalOf(result.error);
    return { ...base, status: REFUSAL_STATUS[reason], notice: REFUSAL_MESSAGES[reason], postSlug: found.kind === 'ok' ? found.comment.postSlug : null, bodyHtml: null };
  }
  if (found.kind === 'refused') return { ...base, status: REFUSAL_STATUS[found.refusal.reason], notice: REFUSAL_MESSAGES[found.refusal.reason], postSlug: null, bodyHtml: null };
  return { ...base, status: 200, notice: null, postSlug: found.comment.postSlug, bodyHtml: found.comment.bodyHtml };
}
