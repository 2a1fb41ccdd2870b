import type { APIRoute } from 'astro';
import { appSecret, db } from '../../web/app';
import { readOwnCommentIds } from '../../web/cookies/commenter';
import { commentPostSlug } from '../../services/comments';
import { locateInThread } from '../../web/views/thread-fragment';
import { getConfig } from '../../services/config';
import { getPost } from '../../web/content/posts';

/**
 * `/comments/<id>`: the stable address of a comment. Redirects to the comment page of its post
 * that shows it (its thread's page, oldest first) at `#comment-<id>`; 404 for a comment the
 * reader may not see. A 302: the page moves when earlier threads are removed.
 */
export const GET: APIRoute = async (context) => {
  const raw = context.params.id ?? '';
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
  const slug = id === null ? null : await commentPostSlug(db(), id);
  const post = slug === null ? null : await getPost(slug);
  const own = readOwnCommentIds(context.cookies, appSecret());
  const location = post ? await locateInThread(db(), post.summary, id!, own, { perPage: getConfig().COMMENTS_PER_PAGE, now: new Date(), avatarSecret: appSecret() }) : null;
  if (!location) return context.rewrite('/404');
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
};
