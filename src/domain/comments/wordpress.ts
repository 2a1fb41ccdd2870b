/**
 * Reading a WordPress export (WXR, "Tools → Export" in wp-admin) for its comments. Pure: the
 * XML text in, plain records out; the import service decides what to store.
 */
import { XMLParser } from 'fast-xml-parser';
import type { CommentStatus } from './types';

export interface WordPressComment {
  /** WordPress's comment id, unique within one site's export. */
  id: number;
  /** WordPress's id of the comment this one answers; null for a top-level comment. */
  parentId: number | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  authorIp: string | null;
  createdAt: Date;
  /** The comment as WordPress stored it: text with a little HTML. */
  html: string;
  status: CommentStatus;
}

export interface WordPressPost {
  /** The post's slug (`wp:post_name`), matched against content/posts file names. */
  slug: string;
  title: string;
  comments: WordPressComment[];
  /** Pingbacks and trackbacks, which are not reader comments and are not imported. */
  skippedPings: number;
}

const STATUS: Record<string, CommentStatus> = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'trash' };

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value)).trim();

/** WordPress writes GMT dates as `2024-03-01 09:15:00`; a missing one ("0000-00-00 …") falls back to the local date. */
function parseDate(gmt: string, local: string): Date | null {
  for (const candidate of [gmt, local]) {
    const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(candidate);
    if (match && match[1] !== '0000') return new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  }
  return null;
}

/**
 * The posts of an export with their comments. Throws an Error with a readable message when the
 * text is not a WordPress export. Comments with an unknown status or no date are left out.
 */
export function parseWordPressExport(xml: string): WordPressPost[] {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    cdataPropName: false,
    isArray: (name) => name === 'item' || name === 'wp:comment',
    processEntities: true,
  });
  let document: { rss?: { channel?: { item?: Record<string, unknown>[] } } };
  try {
    document = parser.parse(xml, true);
  } catch (error) {
    throw new Error(`not a valid XML file (${(error as Error).message.split('\n')[0]})`);
  }
  const channel = document.rss?.channel;
  if (!channel || !/wordpress\.org\/export/.test(xml.slice(0, 5000))) throw new Error('not a WordPress export (WXR) file');

  const posts: WordPressPost[] = [];
  for (const item of channel.item ?? []) {
    if (text(item['wp:post_type']) !== 'post') continue;
    let skippedPings = 0;
    const comments: WordPressComment[] = [];
    for (const raw of (item['wp:comment'] as Record<string, unknown>[] | undefined) ?? []) {
      const type = text(raw['wp:comment_type']);
      if (type === 'pingback' || type === 'trackback') {
        skippedPings++;
        continue;
      }
      const id = Number(text(raw['wp:comment_id']));
      const status = STATUS[text(raw['wp:comment_approved'])];
      const createdAt = parseDate(text(raw['wp:comment_date_gmt']), text(raw['wp:comment_date']));
      if (!Number.isSafeInteger(id) || id <= 0 || !status || !createdAt) continue;
      const parent = Number(text(raw['wp:comment_parent']));
      comments.push({
        id,
        parentId: Number.isSafeInteger(parent) && parent > 0 ? parent : null,
        authorName: text(raw['wp:comment_author']),
        authorEmail: text(raw['wp:comment_author_email']),
        authorUrl: text(raw['wp:comment_author_url']) || null,
        authorIp: text(raw['wp:comment_author_IP']) || null,
        createdAt,
        html: text(raw['wp:comment_content']),
        status,
      });
    }
    posts.push({ slug: text(item['wp:post_name']), title: text(item.title), comments, skippedPings });
  }
  return posts;
}
