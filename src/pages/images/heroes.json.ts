import type { APIRoute } from 'astro';
import { buildHeroManifest } from '../../web/content/images';

// Prerendered: the image service resizes every hero once, at build time, into dist/client/_astro,
// and this file records the URLs for the pages rendered on request (src/web/content/images.ts).
export const prerender = true;

export const GET: APIRoute = async () => new Response(JSON.stringify(await buildHeroManifest()), { headers: { 'Content-Type': 'application/json' } });
