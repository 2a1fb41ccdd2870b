import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { relatedPosts, type PostSummary } from '../../domain/posts/posts';
import { failedFormState, initialFormState, type CommentFormState } from '../comment-form';
import { readOwnCommentIds, readRemembered } from '../cookies/commenter';
import { loadReplyContext } from '../../services/comments';
import { i18n } from '../i18n';
import { loadThreadSection, locateInThread, type ThreadSection } from './thread-fragment';
import { appSecret, db } from '../app';
import { getPost, listPosts } from '../content/posts';
import { authorNamed, type Author } from '../content/authors';
import { heroImage, type ResponsiveImage } from '../content/images';
import { createFormToken } from '../../services/tokens';
import { getConfig } from '../../services/config';
import { ownCommentControls } from './own-comments';
import { commentPageQuery, parseCommentPage, type CommentPageRequest } from '../../domain/comments/pagination';
import { postJsonLd } from '../../render/structured-data';

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
  /** The comment page shown (`?cpage=`/`?corder=`), for the page's own links. */
  commentPage: CommentPageRequest;
  /** The address search engines should index for this page (`?replyto=` and the newest-first view are copies). */
  canonicalPath: string;
  /** Newest first is the same comments in another order: followed, not indexed. */
  noindex: boolean;
  /** schema.org JSON-LD of the post and the comments this page shows (script-safe), as UTF-8. */
  jsonLd?: Uint8Array;
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
export async function loadPostPage(Astro: AstroGlobal): Promise<PostPageData | { redirect: string; status: 301 | 302 | 303 } | null> {
  const slug = Astro.params.slug ?? '';
  const found = await getPost(slug);
  if (!found) return null;
  const secret = appSecret();
  const perPage = getConfig().COMMENTS_PER_PAGE;

  const result = Astro.getActionResult(actions.comments.submit);
  if (result?.data?.ok) {
    // The commenter lands on the page that shows their comment (the last page for a new thread).
    const id = result.data.id;
    const own = [...readOwnCommentIds(Astro.cookies, secret), id];
    const location = await locateInThread(db(), found.summary, id, own, { perPage, now: new Date(), avatarSecret: secret });
    return { redirect: location ?? `/posts/${slug}#comment-${id}`, status: 303 };
  }

  const requested = parseCommentPage(Astro.url.searchParams);
  if (!requested.canonical && Astro.request.method === 'GET') return { redirect: withCommentPage(Astro.url, requested), status: 301 };

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
    const section = { ...await loadReplyContext(db(), found.summary, parentForThread, now), threadBytes: new Uint8Array(0), hasComments: false, pagination: { page: requested.page, order: requested.order, pageCount: 1, threadCount: 0 }, pageTree: [], permalinkQueries: [] };
    return { slim: true, post: found.summary, Content: found.Content, related: [], section, form, formToken, commentPage: requested, canonicalPath: `/posts/${slug}`, noindex: true };
  }
  const ownCommentIds = readOwnCommentIds(Astro.cookies, secret);
  const ownControls = await ownCommentControls(db(), slug, { ownCommentIds, now, editMinutes: getConfig().COMMENT_EDIT_MINUTES }, i18n());
  const section = await loadThreadSection(db(), found.summary, ownCommentIds, parentForThread, now, i18n(), { pageRequest: requested, perPage, avatarSecret: secret, ownControls });
  const shown = { page: section.pagination.page, order: requested.order };
  // A page past the last (comments were removed, or a made-up number): the last page.
  if (shown.page !== requested.page && Astro.request.method === 'GET') return { redirect: withCommentPage(Astro.url, shown), status: 302 };
  const author = await authorNamed(found.summary.author);
  const hero = await heroImage(slug);
  return {
    slim: false,
    post: found.summary,
    Content: found.Content,
    related: relatedPosts(found.summary, await listPosts()),
    section,
    form,
    formToken,
    author,
    hero,
    jsonLd: structuredData(found.summary, section, author, hero),
    commentPage: shown,
    canonicalPath: `/posts/${slug}${commentPageQuery({ page: shown.page, order: 'oldest' })}`,
    noindex: shown.order === 'newest',
  };
}

/** The same URL with the comment page spelled canonically (other parameters, such as `?replyto=`, kept). */
function withCommentPage(url: URL, request: CommentPageRequest): string {
  const params = new URLSearchParams(url.search);
  params.delete('cpage');
  params.delete('corder');
  const page = commentPageQuery(request).slice(1);
  const rest = params.toString();
  const query = [page, rest].filter(Boolean).join('&');
  return `${url.pathname}${query ? `?${query}` : ''}`;
}

/**
 * Structured data by comment page: everyone's page of a thread version is one object kept by the
 * thread fragments, so its JSON-LD (200 comments: a few milliseconds, 75 KB) is built and
 * encoded once per version.
 */
const jsonLdByPage = new WeakMap<ThreadSection['pageTree'], Uint8Array>();

/** The post and this page's approved comments as schema.org data, with absolute addresses. */
function structuredData(post: PostSummary, section: ThreadSection, author: Author | undefined, hero: ResponsiveImage | undefined): Uint8Array {
  let jsonLd = jsonLdByPage.get(section.pageTree);
  if (jsonLd === undefined) jsonLdByPage.set(section.pageTree, (jsonLd = Buffer.from(buildStructuredData(post, section, author, hero))));
  return jsonLd;
}

function buildStructuredData(post: PostSummary, section: ThreadSection, author: Author | undefined, hero: ResponsiveImage | undefined): string {
  const site = getConfig().SITE_URL;
  const absolute = (path: string) => new URL(path, site).href;
  // Each comment's address is its permalink: its thread's page in the default order.
  const queries = new Map<number, string>();
  section.pageTree.forEach((root, index) => {
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      queries.set(node.comment.id, section.permalinkQueries[index] ?? '');
      stack.push(...node.replies);
    }
  });
  return postJsonLd(
    {
      title: post.title,
      description: post.description,
      url: absolute(`/posts/${post.slug}`),
      pubDate: post.pubDate,
      updatedDate: post.updatedDate,
      author: { name: post.author, url: author ? absolute(`/authors/${author.id}`) : undefined },
      image: hero ? absolute(hero.src) : undefined,
      commentCount: section.approvedCount,
    },
    section.pageTree,
    (id) => absolute(`/posts/${post.slug}${queries.get(id) ?? ''}#comment-${id}`),
  );
}
