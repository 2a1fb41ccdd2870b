import type { APIRoute } from 'astro';
import { getConfig } from '../services/config';
import { sitemapIndexXml } from '../web/content/sitemap';

/** The sitemap index, pointing at /sitemap-0.xml (absolute on SITE_URL). */
export const GET: APIRoute = async () =>
  new Response(await sitemapIndexXml(getConfig().SITE_URL), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
