import { decodeHTML } from 'entities';

/**
 * schema.org JSON-LD for a post page: a `BlogPosting` with its author and the approved comments
 * the page shows, as `Comment`s (replies nested in `comment`). Pure. Only what the page shows
 * publicly goes in (names, dates, text, links): never an email, never a pending comment.
 * The result is safe inside `<script type="application/ld+json">`: `<`, `>` and `&` are escaped
 * as JSON unicode escapes, so comment text cannot close the script element.
 */

export interface StructuredComment {
  id: number;
  authorName: string;
  /** The renderer's sanitised HTML; turned into plain text here. */
  bodyHtml: string;
  createdAt: Date;
  pending: boolean;
  removed: boolean;
}

export interface StructuredCommentNode {
  comment: StructuredComment;
  replies: readonly StructuredCommentNode[];
}

export interface StructuredPost {
  title: string;
  description: string;
  /** Absolute URL of the post. */
  url: string;
  pubDate: Date;
  updatedDate?: Date;
  author: { name: string; url?: string };
  /** Absolute URL of the hero image, if the post has one. */
  image?: string;
  /** Approved comments on the whole post (not just this page). */
  commentCount: number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/** Plain text of sanitised comment HTML: tags dropped (block ends become line breaks), entities decoded. */
export function plainText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|blockquote|li|pre)>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeHTML(text).replace(/\n{3,}/g, '\n\n').trim();
}

/** `JSON.stringify` that cannot end a `<script>` element nor open an HTML comment in it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The visible approved comments as schema.org `Comment`s. A pending comment (only its author
 * sees it) is left out with its replies; a removed one ("comment removed") is left out but its
 * approved replies take its place.
 */
function toComments(nodes: readonly StructuredCommentNode[], permalink: (id: number) => string): Json[] {
  const out: Json[] = [];
  for (const { comment, replies } of nodes) {
    if (comment.pending) continue;
    const nested = toComments(replies, permalink);
    if (comment.removed) {
      out.push(...nested);
      continue;
    }
    out.push({
      '@type': 'Comment',
      '@id': permalink(comment.id),
      url: permalink(comment.id),
      author: { '@type': 'Person', name: comment.authorName },
      dateCreated: comment.createdAt.toISOString(),
      text: plainText(comment.bodyHtml),
      comment: nested.length > 0 ? nested : undefined,
    });
  }
  return out;
}

/**
 * The JSON-LD of a post page, ready for `<script type="application/ld+json">`.
 * `permalink(id)` gives the absolute address of a comment (the one its permalink shows).
 */
export function postJsonLd(post: StructuredPost, comments: readonly StructuredCommentNode[], permalink: (id: number) => string): string {
  const posting: Json = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    '@id': post.url,
    mainEntityOfPage: post.url,
    url: post.url,
    headline: post.title,
    description: post.description,
    datePublished: post.pubDate.toISOString(),
    dateModified: post.updatedDate?.toISOString(),
    author: { '@type': 'Person', name: post.author.name, url: post.author.url },
    image: post.image,
    commentCount: post.commentCount,
    comment: toComments(comments, permalink),
  };
  return scriptSafeJson(posting);
}
