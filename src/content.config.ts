import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/** Frontmatter of a post in content/posts/*.md; a bad post fails the build with the field named. */
const posts = defineCollection({
  loader: glob({ pattern: '**/*.md', base: './content/posts' }),
  schema: ({ image }) =>
    z
      .object({
        title: z.string().min(1),
        /** One sentence for the index, feeds and the meta description. */
        description: z.string().min(1),
        pubDate: z.coerce.date(),
        updatedDate: z.coerce.date().optional(),
        /** The author's name; when it is the `name` of an entry in content/authors/, the post shows their avatar, role and page. */
        author: z.string().min(1),
        /** Lowercase words; each gets a page at /tags/<tag>. */
        tags: z.array(z.string().regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N}-]*$/u, 'tags are lowercase words joined by dashes')).default([]),
        /** Language of the post when it differs from the site's (e.g. `de`), for screen readers and hyphenation. */
        lang: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
        /** `false` closes comments on this post. */
        comments: z.boolean().default(true),
        /** Optional hero image (a path relative to the post, e.g. ./images/x.png), resized and converted at build time. */
        hero: image().optional(),
        /** What the hero image shows, for screen readers; required with `hero`. */
        heroAlt: z.string().min(1).optional(),
      })
      .refine((post) => !post.hero || post.heroAlt, { message: 'a post with `hero` needs `heroAlt` (what the image shows)', path: ['heroAlt'] }),
});

/** People who write posts: content/authors/<id>.md, shown in bylines and at /authors/<id>. */
const authors = defineCollection({
  loader: glob({ pattern: '*.md', base: './content/authors' }),
  schema: ({ image }) =>
    z.object({
      /** As written in a post's `author` field. */
      name: z.string().min(1),
      /** Job title, shown under the name. */
      role: z.string().min(1),
      /** Square picture (SVG or PNG) relative to the file, e.g. ./avatars/jana.svg. */
      avatar: image(),
      /** One or two sentences, shown on the author's page and under their posts. */
      bio: z.string().min(1).max(400),
    }),
});

/** Legal and other standing pages: content/pages/<locale>/<slug>.md, served at /<slug> (see src/site.config.ts). */
const pages = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/pages' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1).optional(),
  }),
});

export const collections = { posts, authors, pages };
