/**
 * Reading a WordPress export (WXR, "Tools → Export" in wp-admin) for its comments. Pure: XML
 * text in (in chunks of any size, so a large file never sits in memory whole), plain records
 * out; the import service decides what to store. A malformed file stops with one line naming
 * the line and column where reading failed.
 */
import { decodeHTML } from 'entities';
import { SaxesParser } from 'saxes';
import type { CommentStatus } from './types';

export interface WordPressComment {
  /** WordPress's comment id, unique within one site's export (NaN when missing). */
  id: number;
  /** WordPress's id of the comment this one answers; null for a top-level comment. */
  parentId: number | null;
  /** Entities decoded (`Amp &amp; Sand` → `Amp & Sand`), as WordPress shows it. */
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  authorIp: string | null;
  /** Null when the export has no usable date. */
  createdAt: Date | null;
  /** The comment as WordPress stored it: text with a little HTML (see src/render/comment-source.ts). */
  html: string;
  /** `wp:comment_approved`: '1', '0', 'spam', 'trash', 'post-trashed'. */
  approved: string;
  /** `wp:comment_type`: '' or 'comment' for reader comments; 'pingback', 'trackback', … */
  type: string;
  /** For trashed comments, the status they had before (WordPress's `_wp_trash_meta_status`). */
  statusBeforeTrash: string | null;
}

/** One `<item>` (post, page, attachment …) with its comments. */
export interface WordPressItem {
  /** WordPress's post id (NaN when missing). */
  postId: number;
  /** The slug (`wp:post_name`), matched against content/posts file names. */
  slug: string;
  title: string;
  /** `wp:post_type`: post, page, attachment, … */
  type: string;
  comments: WordPressComment[];
}

/** A file that is not a readable WordPress export; the message is one line with line and column. */
export class WordPressExportError extends Error {}

/** What a comment becomes here, or why it is left out. */
export type CommentVerdict =
  | { import: true; status: CommentStatus; previousStatus: CommentStatus | null; fromTrashedPost: boolean }
  | { import: false; reason: 'ping' | 'other-type' | 'unknown-status' | 'no-date' | 'no-id' };

const STATUS: Record<string, CommentStatus> = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'trash' };
const READER_COMMENT_TYPES = new Set(['', 'comment', 'review']);

/**
 * The status a WordPress comment gets here. `post-trashed` (its post went to WordPress's trash)
 * becomes trash, remembering the status before so a moderator's Restore brings it back.
 */
export function judgeWordPressComment(comment: WordPressComment): CommentVerdict {
  if (comment.type === 'pingback' || comment.type === 'trackback') return { import: false, reason: 'ping' };
  if (!READER_COMMENT_TYPES.has(comment.type)) return { import: false, reason: 'other-type' };
  if (!Number.isSafeInteger(comment.id) || comment.id <= 0) return { import: false, reason: 'no-id' };
  if (!comment.createdAt) return { import: false, reason: 'no-date' };
  const before = comment.statusBeforeTrash === null ? null : STATUS[comment.statusBeforeTrash] ?? null;
  if (comment.approved === 'post-trashed') return { import: true, status: 'trash', previousStatus: before ?? 'approved', fromTrashedPost: true };
  const status = STATUS[comment.approved];
  if (!status) return { import: false, reason: 'unknown-status' };
  return { import: true, status, previousStatus: status === 'trash' ? before : null, fromTrashedPost: false };
}

/** WordPress writes GMT dates as `2024-03-01 09:15:00`; a missing one ("0000-00-00 …") falls back to the local date. */
function parseDate(gmt: string, local: string): Date | null {
  for (const candidate of [gmt, local]) {
    const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(candidate);
    if (match && match[1] !== '0000') {
      const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  return null;
}

const int = (value: string | undefined): number => (value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN);
/** A text field: XML entities are decoded by the parser, HTML ones (WordPress stores `&amp;` in names) here. */
const field = (value: string | undefined): string => decodeHTML((value ?? '').trim());

const ITEM_FIELDS = new Set(['title', 'wp:post_id', 'wp:post_name', 'wp:post_type']);
const COMMENT_FIELDS = new Set([
  'wp:comment_id', 'wp:comment_parent', 'wp:comment_author', 'wp:comment_author_email', 'wp:comment_author_url', 'wp:comment_author_IP',
  'wp:comment_date', 'wp:comment_date_gmt', 'wp:comment_content', 'wp:comment_approved', 'wp:comment_type',
]);

/**
 * Finds a bad `&` outside CDATA, comments and processing instructions, at its own position:
 * saxes only notices one at the next `;` (possibly megabytes later) or at the end of the file.
 * Fed the same chunks as the parser; returns the offset in the chunk of a bad `&`, or -1.
 */
export class EntityScanner {
  line = 1;
  column = 1;
  private state: 'markup' | 'cdata' | 'comment' | 'pi' = 'markup';
  private tail = '';
  /** What the bad entity looked like, for the message. */
  bad = '';

  /** Scans `tail + chunk` up to the last 64 characters (kept for lookahead) unless `final`. */
  scan(chunk: string, final: boolean): { text: string; badAt: number } {
    const text = this.tail + chunk;
    const end = final ? text.length : Math.max(0, text.length - 64);
    let i = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (this.state === 'markup') {
        if (c === 0x3c /* < */) {
          if (text.startsWith('<![CDATA[', i)) this.state = 'cdata';
          else if (text.startsWith('<!--', i)) this.state = 'comment';
          else if (text.startsWith('<?', i)) this.state = 'pi';
        } else if (c === 0x26 /* & */) {
          const entity = /^&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);/.exec(text.slice(i, i + 16));
          if (!entity) {
            this.bad = /^&[^\s<;&]{0,10};?/.exec(text.slice(i, i + 16))![0];
            this.tail = text.slice(i);
            return { text: text.slice(0, i), badAt: i };
          }
        }
      } else if (this.state === 'cdata' && c === 0x5d /* ] */ && text.startsWith(']]>', i)) this.state = 'markup';
      else if (this.state === 'comment' && c === 0x2d /* - */ && text.startsWith('-->', i)) this.state = 'markup';
      else if (this.state === 'pi' && c === 0x3f /* ? */ && text.startsWith('?>', i)) this.state = 'markup';
      if (c === 0x0a) {
        this.line++;
        this.column = 1;
      } else this.column++;
    }
    this.tail = text.slice(end);
    return { text: text.slice(0, end), badAt: -1 };
  }
}

/**
 * Streaming reader: `write` text chunks, then `close`. Calls `onItem` for every item that has
 * comments, after its closing tag (one item's comments are held at a time, never the file).
 * Throws WordPressExportError.
 */
export class WordPressExportReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly entities = new EntityScanner();
  private readonly path: string[] = [];
  private sawWordPress = false;
  private item: { fields: Map<string, string>; comments: WordPressComment[] } | null = null;
  private comment: { fields: Map<string, string>; meta: Map<string, string> } | null = null;
  private meta: { key: string; value: string } | null = null;
  /** The field whose text is being collected, and the text so far. */
  private capture: { name: string; text: string } | null = null;
  private ended = false;

  constructor(private readonly onItem: (item: WordPressItem) => void) {
    const p = this.parser;
    p.on('error', (error) => {
      throw this.error(explain(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '')));
    });
    p.on('opentag', (node) => this.openElement(node.name, node.attributes as Record<string, string>));
    p.on('closetag', (node) => this.closeElement(node.name));
    p.on('text', (text) => this.text(text));
    p.on('cdata', (text) => this.text(text));
  }

  private error(reason: string): WordPressExportError {
    return new WordPressExportError(`line ${this.parser.line}, column ${this.parser.column + 1}: ${reason}`);
  }

  private openElement(name: string, attributes: Record<string, string>): void {
    const depth = this.path.length;
    if (depth === 0) {
      if (name !== 'rss') throw this.error(`not a WordPress export (it starts with <${name}>, an export starts with <rss>)`);
      this.sawWordPress = Object.entries(attributes).some(([key, value]) => key === 'xmlns:wp' && /wordpress\.org\/export\//.test(value));
    }
    this.path.push(name);
    const at = this.path.join('>');
    if (at === 'rss>channel>item') this.item = { fields: new Map(), comments: [] };
    else if (at === 'rss>channel>item>wp:comment') this.comment = { fields: new Map(), meta: new Map() };
    else if (at === 'rss>channel>item>wp:comment>wp:commentmeta') this.meta = { key: '', value: '' };
    else if (at === 'rss>channel>wp:wxr_version') this.sawWordPress = true;
    else if ((this.item && !this.comment && depth === 3 && ITEM_FIELDS.has(name)) || (this.comment && !this.meta && depth === 4 && COMMENT_FIELDS.has(name))) {
      this.capture = { name, text: '' };
    } else if (this.meta && depth === 5 && (name === 'wp:meta_key' || name === 'wp:meta_value')) this.capture = { name, text: '' };
  }

  private text(text: string): void {
    if (this.capture) this.capture.text += text;
  }

  private closeElement(name: string): void {
    const at = this.path.join('>');
    this.path.pop();
    if (this.capture && this.capture.name === name) {
      if (this.meta) {
        if (name === 'wp:meta_key') this.meta.key = this.capture.text.trim();
        else this.meta.value = this.capture.text.trim();
      } else (this.comment?.fields ?? this.item?.fields)?.set(name, this.capture.text);
      this.capture = null;
      return;
    }
    if (at === 'rss>channel>item>wp:comment>wp:commentmeta' && this.meta && this.comment) {
      this.comment.meta.set(this.meta.key, this.meta.value);
      this.meta = null;
    } else if (at === 'rss>channel>item>wp:comment' && this.comment && this.item) {
      this.item.comments.push(toComment(this.comment.fields, this.comment.meta));
      this.comment = null;
    } else if (at === 'rss>channel>item' && this.item) {
      if (!this.sawWordPress) throw this.error('not a WordPress export (no WordPress export namespace or wp:wxr_version before the first item)');
      const f = this.item.fields;
      if (this.item.comments.length) {
        this.onItem({ postId: int(f.get('wp:post_id')), slug: field(f.get('wp:post_name')), title: field(f.get('title')), type: field(f.get('wp:post_type')), comments: this.item.comments });
      }
      this.item = null;
    } else if (at === 'rss') this.ended = true;
  }

  /** Feeds the next piece of the file. */
  write(chunk: string): void {
    this.feed(chunk, false);
  }

  private feed(chunk: string, final: boolean): void {
    const { text, badAt } = this.entities.scan(chunk, final);
    // The parser first reads up to the bad `&`: an earlier error of its own comes first.
    this.parser.write(text);
    if (badAt >= 0) {
      const { line, column, bad } = this.entities;
      throw new WordPressExportError(`line ${line}, column ${column}: "${bad}" is not an XML entity (XML knows &amp; &lt; &gt; &quot; &apos; and numeric ones; text with & belongs in CDATA)`);
    }
  }

  /** Ends the file: a file cut short (no closing </rss>) or one that is not an export throws here. */
  close(): void {
    this.feed('', true);
    const { line, column } = this.parser;
    this.parser.close();
    const at = `line ${line}, column ${column + 1}`;
    if (!this.ended) throw new WordPressExportError(`${at}: the file ends before its closing </rss> (is it cut short?)`);
    if (!this.sawWordPress) throw new WordPressExportError(`${at}: not a WordPress export (no WordPress export namespace or wp:wxr_version)`);
  }
}

/** saxes's terse messages, said the way someone holding an export file would understand them. */
export function explain(message: string): string {
  const unclosed = /^unclosed tag: (.+)$/.exec(message);
  if (unclosed) return `the file ends inside <${unclosed[1]}> (is it cut short?)`;
  if (message === 'document must contain a root element') return 'not an XML file (it is empty or has no element)';
  if (message === 'text data outside of root node') return 'not an XML file (text outside the <rss> element)';
  return `not well-formed XML (${message})`;
}

function toComment(fields: Map<string, string>, meta: Map<string, string>): WordPressComment {
  const parent = int(fields.get('wp:comment_parent'));
  return {
    id: int(fields.get('wp:comment_id')),
    parentId: Number.isSafeInteger(parent) && parent > 0 ? parent : null,
    authorName: field(fields.get('wp:comment_author')),
    authorEmail: field(fields.get('wp:comment_author_email')),
    authorUrl: field(fields.get('wp:comment_author_url')) || null,
    authorIp: field(fields.get('wp:comment_author_IP')) || null,
    createdAt: parseDate((fields.get('wp:comment_date_gmt') ?? '').trim(), (fields.get('wp:comment_date') ?? '').trim()),
    html: (fields.get('wp:comment_content') ?? '').trim(),
    approved: (fields.get('wp:comment_approved') ?? '').trim(),
    type: (fields.get('wp:comment_type') ?? '').trim(),
    statusBeforeTrash: meta.get('_wp_trash_meta_status') ?? null,
  };
}

/** The items of a whole export held in memory (tests and small files). Throws WordPressExportError. */
export function parseWordPressExport(xml: string): WordPressItem[] {
  const items: WordPressItem[] = [];
  const reader = new WordPressExportReader((item) => items.push(item));
  reader.write(xml);
  reader.close();
  return items;
}
