import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/** Frontmatter of a post in content/posts/*.md; a bad post fails the build with the field named. */
const posts = defineCollection({
  loader: glob({ pattern: '**/*.md', base: './content/posts' }),
  schema: z.object({
    title: z.string().min(1),
    /** One sentence for the index, feeds and the meta description. */
    description: z.string().min(1),
    pubDate: z.coerce.date(),
    updatedDate: z.coerce.date().optional(),
    author: z.string().min(1),
    /** Lowercase words; each gets a page at /tags/<tag>. */
    tags: z.array(z.string().regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N}-]*$/u, 'tags are lowercase words joined by dashes')).default([]),
    /** Language of the post when it differs from the site's (e.g. `de`), for screen readers and hyphenation. */
    lang: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
    /** `false` closes comments on this post. */
    comments: z.boolean().default(true),
  }),
});

export const collections = { posts };
