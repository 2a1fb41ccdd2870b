import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { loadCommentFeedItems } from '../../services/comment-feeds';
import { getConfig } from '../../services/config';
import { db } from '../../web/app';
import { i18n } from '../../web/i18n';
import { listPosts } from '../../web/content/posts';
import { site } from '../../site.config';

/** RSS 2.0 feed of the newest approved comments on the whole site. */
export const GET: APIRoute = async () => {
  const translator = i18n();
  const { t, locale } = translator;
  return rss({
    title: t('feed.comments', { site: site.name }),
    description: t('feed.commentsDescription', { site: site.name }),
    site: getConfig().SITE_URL,
    trailingSlash: false,
    customData: `<language>${locale}</language>`,
    items: await loadCommentFeedItems(db(), null, await listPosts(), translator),
    xmlns: { dc: 'http://purl.org/dc/elements/1.1/' },
  });
};
