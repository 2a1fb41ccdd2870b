import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap';
import { Readable } from 'node:stream';
import { listPosts } from './posts';
import { listAuthors } from './authors';
import { site } from '../../site.config';

// Routes are server-rendered and the origin is only known at run time (SITE_URL),
// so the sitemap is built per request from the post list rather than at build time.

/** The sitemap index for `origin`. */
export async function sitemapIndexXml(origin: string): Promise<string> {
  const index = new SitemapIndexStream();
  const xml = streamToPromise(Readable.from([{ url: `${origin}/sitemap-0.xml` }]).pipe(index));
  return (await xml).toString();
}

/** The one sitemap listing every public page: index, posts, tags, authors, legal pages. */
export async function sitemapXml(origin: string): Promise<string> {
  const posts = await listPosts();
  const tags = [...new Set(posts.flatMap((p) => p.tags))].sort();
  const entries = [
    { url: '/', lastmod: posts[0]?.pubDate.toISOString() },
    ...posts.map((p) => ({ url: `/posts/${p.slug}`, lastmod: (p.updatedDate ?? p.pubDate).toISOString() })),
    ...tags.map((tag) => ({ url: `/tags/${encodeURIComponent(tag)}` })),
    ...(await listAuthors()).map((a) => ({ url: `/authors/${encodeURIComponent(a.id)}` })),
    ...site.legalPages.map((p) => ({ url: `/${p.slug}` })),
  ];
  const stream = new SitemapStream({ hostname: origin });
  return (await streamToPromise(Readable.from(entries).pipe(stream))).toString();
}
