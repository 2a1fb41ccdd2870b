import type { APIRoute } from 'astro';
import { getConfig } from '../services/config';
import { sitemapXml } from '../web/content/sitemap';

/** Every public page: index, posts, tags. */
export const GET: APIRoute = async () =>
  new Response(await sitemapXml(getConfig().SITE_URL), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
