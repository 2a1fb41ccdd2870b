import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getConfig } from '../services/config';
import { i18n } from '../web/i18n';
import { listPosts } from '../web/content/posts';
import { site } from '../site.config';

/** RSS 2.0 feed of all posts, with absolute links on SITE_URL. */
export const GET: APIRoute = async () => {
  const { locale } = i18n();
  return rss({
    title: site.name,
    description: site.tagline[locale],
    site: getConfig().SITE_URL,
    // Post URLs have no trailing slash; one URL per post.
    trailingSlash: false,
    customData: `<language>${locale}</language>`,
    items: (await listPosts()).map((post) => ({
      title: post.title,
      description: post.description,
      pubDate: post.pubDate,
      link: `/posts/${post.slug}`,
      categories: post.tags,
      customData: `<dc:creator><![CDATA[${post.author.replaceAll(']]>', ']]]]><![CDATA[>')}]]></dc:creator>`,
    })),
    xmlns: { dc: 'http://purl.org/dc/elements/1.1/' },
  });
};
