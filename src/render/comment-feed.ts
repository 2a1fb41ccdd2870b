import type { Translator } from '../i18n';

/**
 * The items of a comment feed (RSS 2.0 through @astrojs/rss), from published comments. Pure:
 * the route fetches rows and post titles, this decides what a feed reader sees. Only what the
 * thread shows publicly goes in: the author's name (RSS `<author>` must be an email address, so
 * the name goes into `dc:creator`), the sanitised body, the date, a stable link.
 */

export interface FeedComment {
  id: number;
  postSlug: string;
  authorName: string;
  /** The renderer's sanitised HTML (the same the thread shows). */
  bodyHtml: string;
  createdAt: Date;
}

export interface CommentFeedItem {
  title: string;
  /** `/comments/<id>`: redirects to the comment page that shows it, wherever pagination puts it. */
  link: string;
  pubDate: Date;
  /** HTML; the feed builder escapes it as RSS 2.0 descriptions are. */
  description: string;
  customData: string;
}

/** Characters XML 1.0 cannot carry at all (an imported name may hold one): dropped. */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const xmlSafe = (text: string) => text.replace(NOT_XML, '');

/** Text as a CDATA section (`]]>` split across two sections, so no text can end it early). */
const cdata = (text: string) => `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

export function commentFeedItems(comments: readonly FeedComment[], postTitles: ReadonlyMap<string, string>, { t }: Translator): CommentFeedItem[] {
  return comments.map((c) => {
    const postTitle = postTitles.get(c.postSlug) ?? c.postSlug;
    return {
      title: xmlSafe(t('feed.commentTitle', { author: c.authorName, title: postTitle })),
      link: `/comments/${c.id}`,
      pubDate: c.createdAt,
      description: xmlSafe(c.bodyHtml),
      customData: `<dc:creator>${cdata(c.authorName)}</dc:creator>`,
    };
  });
}
