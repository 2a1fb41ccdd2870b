import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { relatedPosts, type PostSummary } from '../../domain/posts/posts';
import { failedFormState, initialFormState, type CommentFormState } from '../comment-form';
import { readOwnCommentIds, readRemembered } from '../cookies/commenter';
import { loadReplyContext } from '../../services/comments';
import { i18n } from '../i18n';
import { loadThreadSection, type ThreadSection } from './thread-fragment';
import { appSecret, db } from '../app';
import { getPost, listPosts } from '../content/posts';
import { authorNamed, type Author } from '../content/authors';
import { heroImage, type ResponsiveImage } from '../content/images';
import { createFormToken } from '../../services/tokens';
import { getConfig } from '../../services/config';
import { withOwnCommentControls } from './own-comments';

export interface PostPageData {
  /**
   * A submission refused for a reason that repeats cheaply (flood control): the page shows
   * the form with what was typed and the message, without the post and its thread, so a
   * client hammering the form costs little.
   */
  slim: boolean;
  post: PostSummary;
  Content: NonNullable<Awaited<ReturnType<typeof getPost>>>['Content'];
  related: PostSummary[];
  section: ThreadSection;
  form: CommentFormState;
  formToken: string;
  author?: Author;
  hero?: ResponsiveImage;
}

/** `?replyto=<id>`: a positive integer or nothing. */
function parseReplyTo(url: URL): number | null {
  const raw = url.searchParams.get('replyto');
  return raw && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}

/**
 * Everything the post page shows, or a redirect after a successful comment (POST → 303 → GET
 * at the new comment), or null for an unknown post.
 */
export async function loadPostPage(Astro: AstroGlobal): Promise<PostPageData | { redirect: string } | null> {
  const slug = Astro.params.slug ?? '';
  const found = await getPost(slug);
  if (!found) return null;

  const result = Astro.getActionResult(actions.comments.submit);
  if (result?.data?.ok) return { redirect: `/posts/${slug}#comment-${result.data.id}` };

  const secret = appSecret();
  const replyTo = parseReplyTo(Astro.url);
  let form = initialFormState(readRemembered(Astro.cookies, secret), replyTo);
  if (result) {
    const submitted = await Astro.request.formData().catch(() => null);
    form = failedFormState(result as Parameters<typeof failedFormState>[0], submitted);
  }
  const now = new Date();
  const formToken = createFormToken(secret, slug, now);
  Astro.locals.formToken = { value: formToken, slug };
  const parentForThread = replyTo ?? (form.values.parent && /^\d+$/.test(form.values.parent) ? Number(form.values.parent) : null);
  if (form.status === 429) {
    return { slim: true, post: found.summary, Content: found.Content, related: [], section: { ...loadReplyContext(db(), found.summary, parentForThread, now), threadHtml: '', hasComments: false }, form, formToken };
  }
  const ownCommentIds = readOwnCommentIds(Astro.cookies, secret);
  const section = loadThreadSection(db(), found.summary, ownCommentIds, parentForThread, now, i18n());
  if (ownCommentIds.length && section.hasComments) {
    section.threadHtml = await withOwnCommentControls(db(), section.threadHtml, slug, { ownCommentIds, now, editMinutes: getConfig().COMMENT_EDIT_MINUTES }, i18n());
  }
  return {
    slim: false,
    post: found.summary,
    Content: found.Content,
    related: relatedPosts(found.summary, await listPosts()),
    section,
    form,
    formToken,
    author: await authorNamed(found.summary.author),
    hero: await heroImage(slug),
  };
}
