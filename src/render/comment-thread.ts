import { showsReplyLink } from '../domain/comments/replies';
import type { CommentNode } from '../domain/comments/threading';
import type { Translator } from '../i18n';
import { avatarInitials } from '../domain/comments/avatar';
import type { PublicComment } from '../domain/comments/types';

/**
 * The thread's HTML, built as one string (what CommentItem.astro used to render component by
 * component: 200 comments cost 200 nested component renders). Iterative, so a deep thread
 * cannot overflow the stack. Every value from a comment is escaped except `bodyHtml`, the
 * renderer's sanitised output (the only comment HTML ever output).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * Where a thread's links point when comments are paginated: the reply link stays on the page it
 * is on (`?cpage=2&replyto=…`), and a permalink names the page its thread has in the default
 * order, so it stays valid whichever order the reader chose.
 */
export interface ThreadLinks {
  /** Query of the current comment page (`''` or `?cpage=2…`), kept by reply links. */
  pageQuery: string;
  /** For each top-level thread, the query of its page in the default order (`''` for page 1). */
  permalinkQueries: readonly string[];
}

const NO_PAGES: ThreadLinks = { pageQuery: '', permalinkQueries: [] };

function commentCard(c: PublicComment, postSlug: string, canReply: boolean, { t, formatDateTime }: Translator, pageQuery: string, permalinkQuery: string): string {
  const anchor = `comment-${c.id}`;
  if (c.removed) return `<div class="comment-card"><p class="comment-removed">${escapeHtml(t('comments.removed'))}</p></div>`;
  const author = c.authorUrl
    ? `<a class="comment-author" id="${anchor}-author" href="${escapeHtml(c.authorUrl)}" rel="nofollow ugc noopener">${escapeHtml(c.authorName)}</a>`
    : `<span class="comment-author" id="${anchor}-author">${escapeHtml(c.authorName)}</span>`;
  // Decorative: the name next to it says who wrote the comment.
  const avatar = c.avatarHue === undefined ? '' : `<span class="comment-avatar avatar-hue-${avatarHueClass(c.avatarHue)}" aria-hidden="true">${escapeHtml(avatarInitials(c.authorName))}</span>`;
  return (
    `<article class="comment-card${c.pending ? ' is-pending' : ''}${c.pinnedAt ? ' is-pinned' : ''}"><header class="comment-head">${avatar}${author}` +
    (c.pinnedAt ? ` <span class="badge badge-pinned">${escapeHtml(t('comments.pinned'))}</span>` : '') +
    (c.fromSite ? ` <span class="badge">${escapeHtml(t('comments.fromSite'))}</span>` : '') +
    (c.pending ? ` <span class="badge badge-pending">${escapeHtml(t('comments.awaitingBadge'))}</span>` : '') +
    ` <a class="permalink" href="/posts/${escapeHtml(postSlug)}${escapeHtml(permalinkQuery)}#${anchor}" title="${escapeHtml(t('comments.permalink'))}">` +
    `<time datetime="${c.createdAt.toISOString()}">${escapeHtml(formatDateTime(c.createdAt))}</time></a>` +
    (c.edited ? ` <span class="hint comment-edited">${escapeHtml(t('comments.edited'))}</span>` : '') +
    `</header>` +
    (c.pending ? `<p class="hint pending-note">${escapeHtml(t('comments.awaiting'))}</p>` : '') +
    `<div class="comment-body">${c.bodyHtml}</div>` +
    (canReply && showsReplyLink(c)
      ? `<a class="reply-link" href="${escapeHtml(pageQuery ? `${pageQuery}&` : '?')}replyto=${c.id}#respond" aria-describedby="${anchor}-author" data-reply-to="${c.id}">${escapeHtml(t('comments.reply'))}</a>`
      : '') +
    `</article>`
  );
}

/** One of 12 hue classes (30° apart) in global.css: a class, not a style attribute, so public pages carry no inline style. */
export function avatarHueClass(hue: number): number {
  return Math.floor((((hue % 360) + 360) % 360) / 30);
}

/**
 * `<ol class="comment-list">` with every comment and its nested replies. `links` says where
 * reply links and permalinks point on a comment page. `cards`, when given, keeps the card of
 * each published comment by id for the next render of the same thread version and page (same
 * post, `canReply`, translator and links): a returning commenter's personal page differs from
 * everyone's only by their own comments. `additions` is HTML added at the end of a comment's
 * card (a commenter's notes and controls on their own comments); removed comments get none.
 */
export interface ThreadRender {
  links?: ThreadLinks;
  cards?: Map<number, string>;
  additions?: ReadonlyMap<number, string>;
}

export function renderCommentThread(tree: readonly CommentNode<PublicComment>[], postSlug: string, canReply: boolean, translator: Translator, render: ThreadRender = {}): string {
  return threadParts(tree, postSlug, canReply, translator, render).join('');
}

/**
 * The same thread as UTF-8, written part by part: a page sends bytes, and joining the parts
 * into one string first (a copy of the whole thread, as two-byte text once any card holds a
 * character beyond Latin-1) then encoding it cost a personal page more than rendering it.
 */
export function renderCommentThreadBytes(tree: readonly CommentNode<PublicComment>[], postSlug: string, canReply: boolean, translator: Translator, render: ThreadRender = {}): Buffer {
  const parts = threadParts(tree, postSlug, canReply, translator, render);
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) at += bytes.write(part, at);
  return bytes;
}

const CARD_END = '</article>';

function threadParts(tree: readonly CommentNode<PublicComment>[], postSlug: string, canReply: boolean, translator: Translator, { links = NO_PAGES, cards, additions }: ThreadRender): string[] {
  const out: string[] = ['<ol class="comment-list">'];
  // A stack of what is left to write: a node to open, or a closing string.
  const stack: (CommentNode<PublicComment> | string)[] = [];
  for (let root = 0; root < tree.length; root++) {
    const permalinkQuery = links.permalinkQueries[root] ?? links.pageQuery;
    stack.push(tree[root]);
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (typeof item === 'string') {
        out.push(item);
        continue;
      }
      const { comment } = item;
      // Only a published comment's card is the same for every viewer (pending and removed depend on who looks).
      const shared = cards !== undefined && !comment.pending && !comment.removed;
      let card = shared ? cards.get(comment.id) : undefined;
      if (card === undefined) {
        card = commentCard(comment, postSlug, canReply, translator, links.pageQuery, permalinkQuery);
        if (shared) cards.set(comment.id, card);
      }
      const addition = additions?.get(comment.id);
      if (addition !== undefined && card.endsWith(CARD_END)) card = card.slice(0, -CARD_END.length) + addition + CARD_END;
      out.push(`<li class="comment" id="comment-${comment.id}">`, card);
      if (item.replies.length > 0) {
        out.push('<ol class="comment-replies">');
        stack.push('</ol></li>');
        for (let i = item.replies.length - 1; i >= 0; i--) stack.push(item.replies[i]);
      } else {
        out.push('</li>');
      }
    }
  }
  out.push('</ol>');
  return out;
}
