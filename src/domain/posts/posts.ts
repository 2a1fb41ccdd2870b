import readingTime from 'reading-time';

/** A post as pages need it, independent of Astro's collection types. */
export interface PostSummary {
  slug: string;
  title: string;
  description: string;
  pubDate: Date;
  updatedDate?: Date;
  author: string;
  tags: string[];
  commentsEnabled: boolean;
  readingMinutes: number;
  /** The post's language when it is not the site's. */
  lang?: string;
  /** The hero image as the build copied it (resized versions come from src/web/content/images.ts). */
  hero?: ImageSource;
  /** What the hero image shows. */
  heroAlt?: string;
}

/** An image the build knows about (Astro's ImageMetadata, without importing Astro here). */
export interface ImageSource {
  src: string;
  width: number;
  height: number;
  format: string;
}

export const POSTS_PER_PAGE = 10;

/** Whole minutes to read a Markdown body, at least 1. */
export function readingMinutes(markdown: string): number {
  return Math.max(1, Math.round(readingTime(markdown).minutes));
}

/** Newest first; ties broken by slug so the order is stable. */
export function sortNewestFirst<T extends Pick<PostSummary, 'pubDate' | 'slug'>>(posts: readonly T[]): T[] {
  return [...posts].sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime() || a.slug.localeCompare(b.slug));
}

export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
}

/** One page (1-based) of an already sorted list; null when the page does not exist. */
export function paginate<T>(items: readonly T[], page: number, perPage = POSTS_PER_PAGE): Page<T> | null {
  const pageCount = Math.max(1, Math.ceil(items.length / perPage));
  if (!Number.isInteger(page) || page < 1 || page > pageCount) return null;
  return { items: items.slice((page - 1) * perPage, page * perPage), page, pageCount };
}

/** Posts sharing the most tags with `post`, newest first among equals. */
export function relatedPosts<T extends PostSummary>(post: T, all: readonly T[], limit = 3): T[] {
  const tags = new Set(post.tags);
  return sortNewestFirst(all)
    .filter((other) => other.slug !== post.slug)
    .map((other) => ({ other, shared: other.tags.filter((t) => tags.has(t)).length }))
    .filter(({ shared }) => shared > 0)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, limit)
    .map(({ other }) => other);
}

/** Posts written by `author` (as named in their frontmatter), newest first. */
export function postsByAuthor<T extends PostSummary>(all: readonly T[], author: string): T[] {
  return sortNewestFirst(all.filter((p) => p.author === author));
}

/** Every tag with its posts, alphabetically. */
export function postsWithTag<T extends PostSummary>(all: readonly T[], tag: string): T[] {
  return sortNewestFirst(all.filter((p) => p.tags.includes(tag)));
}
