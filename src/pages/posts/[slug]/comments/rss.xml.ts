import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { loadCommentFeedItems } from '../../../../services/comment-feeds';
import { getConfig } from '../../../../services/config';
import { db } from '../../../../web/app';
import { i18n } from '../../../../web/i18n';
import { listPosts } from '../../../../web/content/posts';
import { xmlSafe } from '../../../../render/comment-feed';
import { site } from '../../../../site.config';

/** RSS 2.0 feed of one post's newest approved comments; 404 for an unknown post. */
export const GET: APIRoute = async (context) => {
  const posts = await listPosts();
  const post = posts.find((p) => p.slug === context.params.slug);
  if (!post) return context.rewrite('/404');
  const translator = i18n();
  const { t, locale } = translator;
  return rss({
    title: xmlSafe(t('feed.postComments', { title: post.title })),
    description: xmlSafe(t('feed.postCommentsDescription', { title: post.title, site: site.name })),
    // The channel links to the post's comments.
    site: new URL(`/posts/${post.slug}`, getConfig().SITE_URL).href,
    trailingSlash: false,
    customData: `<language>${locale}</language>`,
    items: await loadCommentFeedItems(db(), post, posts, translator),
    xmlns: { dc: 'http://purl.org/dc/elements/1.1/' },
  });
};
