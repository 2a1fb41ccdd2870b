import { getCollection, render, type CollectionEntry } from 'astro:content';
import { readingMinutes, sortNewestFirst, type PostSummary } from '../../domain/posts/posts';

/** Posts are read at build time, so the list is computed once per process. */
let cache: Promise<{ list: PostSummary[]; bySlug: Map<string, CollectionEntry<'posts'>> }> | undefined;

function load() {
  cache ??= getCollection('posts').then((entries) => {
    const list = sortNewestFirst(
      entries.map(
        (entry): PostSummary => ({
          slug: entry.id,
          title: entry.data.title,
          description: entry.data.description,
          pubDate: entry.data.pubDate,
          updatedDate: entry.data.updatedDate,
          author: entry.data.author,
          tags: entry.data.tags,
          commentsEnabled: entry.data.comments,
          lang: entry.data.lang,
          readingMinutes: readingMinutes(entry.body ?? ''),
          hero: entry.data.hero,
          heroAlt: entry.data.heroAlt,
        }),
      ),
    );
    return { list, bySlug: new Map(entries.map((e) => [e.id, e])) };
  });
  return cache;
}

/** All posts, newest first. */
export async function listPosts(): Promise<PostSummary[]> {
  return (await load()).list;
}

/** A post with its rendered Markdown, or null for an unknown slug. */
export async function getPost(slug: string) {
  const { list, bySlug } = await load();
  const entry = bySlug.get(slug);
  const summary = list.find((p) => p.slug === slug);
  if (!entry || !summary) return null;
  const { Content } = await render(entry);
  return { summary, Content };
}
