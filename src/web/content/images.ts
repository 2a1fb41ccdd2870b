import { getImage } from 'astro:assets';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageSource } from '../../domain/posts/posts';
import { listPosts } from './posts';

/** A hero image as the page writes it: a WebP `<source>` and a JPEG `<img>` fallback (AVIF took 15 s a picture to encode here). */
export interface ResponsiveImage {
  sources: { type: string; srcset: string }[];
  src: string;
  srcset: string;
  width: number;
  height: number;
}

/** Widths the build makes of each hero (phone, tablet and desktop at 1x and 2x of the 44rem column). */
export const HERO_WIDTHS = [400, 800, 1200, 1600];

/** Resized and converted versions of `image` through Astro's image service (sharp). */
export async function buildResponsiveImage(image: ImageSource): Promise<ResponsiveImage> {
  const src = image as ImageMetadata;
  const widths = HERO_WIDTHS.filter((w) => w <= image.width);
  const sources = await Promise.all(
    (['webp'] as const).map(async (format) => ({ type: `image/${format}`, srcset: (await getImage({ src, widths, format })).srcSet.attribute })),
  );
  const fallback = await getImage({ src, widths, format: 'jpeg', quality: 80 });
  return { sources, src: fallback.src, srcset: fallback.srcSet.attribute, width: image.width, height: image.height };
}

/** slug → hero, for every post that has one. */
export async function buildHeroManifest(): Promise<Record<string, ResponsiveImage>> {
  const entries = await Promise.all(
    (await listPosts()).filter((p) => p.hero).map(async (p) => [p.slug, await buildResponsiveImage(p.hero!)] as const),
  );
  return Object.fromEntries(entries);
}

/** Where the build wrote the manifest (src/pages/images/heroes.json.ts): dist/client beside dist/server. */
function manifestPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const candidate = join(dir, '..', 'client', 'images', 'heroes.json');
    if (dir.endsWith('server') && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

let manifest: Promise<Record<string, ResponsiveImage>> | undefined;

/**
 * The hero of a post. The pages are rendered on request, but the resized files are made once at
 * build time: a prerendered route runs the image service then and leaves a manifest of the URLs,
 * read here. Without a build (astro dev) the same service runs on request instead.
 */
export async function heroImage(slug: string): Promise<ResponsiveImage | undefined> {
  manifest ??= (async () => {
    const path = import.meta.env.DEV ? null : manifestPath();
    return path ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, ResponsiveImage>) : buildHeroManifest();
  })();
  return (await manifest)[slug];
}
