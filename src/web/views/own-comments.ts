import type { DbConnection } from '../../../db/client';
import type { Translator } from '../../i18n';
import { escapeHtml } from '../../render/comment-thread';
import { loadOwnCommentStates, type OwnAccess } from '../../services/own-comments';

/**
 * What only the author sees on their own comments (this browser's signed list of ids): whether
 * reply notifications await confirmation or are on, and Edit / Delete while the window is open.
 * HTML to add at the end of each such comment's card, by comment id (see `ThreadRender`), so the
 * thread everyone shares is rendered and kept once.
 */
export async function ownCommentControls(db: DbConnection, postSlug: string, access: OwnAccess, { t }: Translator): Promise<ReadonlyMap<number, string>> {
  const additions = new Map<number, string>();
  if (access.ownCommentIds.length === 0) return additions;
  const states = await loadOwnCommentStates(db, postSlug, access);
  for (const { id, changeable, notify } of states) {
    let html = '';
    if (notify) html += `<p class="hint own-note">${escapeHtml(t(notify === 'active' ? 'comments.notify.active' : 'comments.notify.pending'))}</p>`;
    if (changeable) {
      const described = `aria-describedby="comment-${id}-author"`;
      html +=
        `<p class="own-actions"><a href="/comments/${id}/edit" ${described}>${escapeHtml(t('comments.edit'))}</a> ` +
        `<a href="/comments/${id}/delete" ${described}>${escapeHtml(t('comments.delete'))}</a></p>`;
    }
    if (html) additions.set(id, html);
  }
  return additions;
}
