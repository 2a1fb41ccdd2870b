import type { DbConnection } from '../../../db/client';
import type { Translator } from '../../i18n';
import { appendToCards, escapeHtml } from '../../render/comment-thread';
import { loadOwnCommentStates, type OwnAccess } from '../../services/own-comments';

/**
 * What only the author sees on their own comments (this browser's signed list of ids): whether
 * reply notifications await confirmation or are on, and Edit / Delete while the window is open.
 * Added to the shared, cached thread HTML per request.
 */
export async function withOwnCommentControls(db: DbConnection, threadHtml: string, postSlug: string, access: OwnAccess, { t }: Translator): Promise<string> {
  const states = await loadOwnCommentStates(db, postSlug, access);
  const additions = new Map<number, string>();
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
  return appendToCards(threadHtml, additions);
}
