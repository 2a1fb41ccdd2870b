/**
 * Reading a Disqus export (Admin → Moderation → Export: an XML file of `<thread>`s, then
 * `<post>`s). Pure and streaming like the WordPress reader: text chunks in, each post out as
 * the same record the WordPress import takes, with its thread's post slug.
 */
import { decodeHTML } from 'entities';
import { SaxesParser } from 'saxes';
import { EntityScanner, explain, WordPressExportError, type WordPressComment } from './wordpress';

export interface DisqusThread {
  /** Disqus's thread id (`dsq:id`). */
  id: string;
  /** The page address Disqus knew the thread by. */
  link: string;
  /** The identifier the embed code gave (often the old post id or path); may be empty. */
  identifier: string;
  title: string;
}

/**
 * The post slug for a thread: `/posts/<slug>` in its link, else the link's last path segment
 * (without `.html`), unless `map` names it (by that slug, or by the whole link).
 */
export function disqusThreadSlug(thread: Pick<DisqusThread, 'link'>, map: ReadonlyMap<string, string> = new Map()): string {
  let path = '';
  try {
    path = new URL(thread.link).pathname;
  } catch {
    path = thread.link;
  }
  const segments = decodeURIComponent(path).split('/').filter(Boolean);
  const posts = segments.indexOf('posts');
  const slug = (posts >= 0 && segments[posts + 1] ? segments[posts + 1] : segments.at(-1) ?? '').replace(/\.html?$/i, '');
  return map.get(thread.link) ?? map.get(slug) ?? slug;
}

const text = (value: string | undefined): string => decodeHTML((value ?? '').trim());
const flag = (value: string | undefined): boolean => (value ?? '').trim() === 'true';

/** Disqus ids are decimal numbers; kept as numbers so reports and keys look like WordPress's. */
const id = (value: string | undefined): number => (value && /^\d{1,15}$/.test(value.trim()) ? Number(value) : NaN);

/**
 * Streaming reader: `write` chunks, then `close`. `onPost` gets each post with its thread
 * (undefined when the thread is not in the file). Throws WordPressExportError (one line, with
 * line and column) for a malformed file or one that is not a Disqus export.
 */
export class DisqusExportReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly entities = new EntityScanner();
  private readonly path: string[] = [];
  private readonly threads = new Map<string, DisqusThread>();
  private record: { kind: 'thread' | 'post'; dsqId: string; fields: Map<string, string>; refs: Map<string, string> } | null = null;
  private capture: { key: string; text: string } | null = null;
  private ended = false;

  constructor(private readonly onPost: (post: WordPressComment, thread: DisqusThread | undefined) => void) {
    const p = this.parser;
    p.on('error', (error) => {
      throw new WordPressExportError(`line ${p.line}, column ${p.column + 1}: ${explain(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, ''))}`);
    });
    p.on('opentag', (node) => this.openElement(node.name, node.attributes as Record<string, string>));
    p.on('closetag', (node) => this.closeElement(node.name));
    p.on('text', (t) => this.capture && (this.capture.text += t));
    p.on('cdata', (t) => this.capture && (this.capture.text += t));
  }

  private fail(reason: string): WordPressExportError {
    return new WordPressExportError(`line ${this.parser.line}, column ${this.parser.column + 1}: ${reason}`);
  }

  private openElement(name: string, attributes: Record<string, string>): void {
    const depth = this.path.length;
    if (depth === 0 && name !== 'disqus') throw this.fail(`not a Disqus export (it starts with <${name}>, a Disqus export starts with <disqus>)`);
    this.path.push(name);
    if (depth === 1 && (name === 'thread' || name === 'post')) {
      this.record = { kind: name, dsqId: attributes['dsq:id'] ?? '', fields: new Map(), refs: new Map() };
    } else if (this.record && depth === 2) {
      // <thread dsq:id="…"/> and <parent dsq:id="…"/> inside a post refer to others by id.
      if (attributes['dsq:id'] !== undefined) this.record.refs.set(name, attributes['dsq:id']);
      this.capture = { key: name, text: '' };
    } else if (this.record && depth === 3 && this.path[2] === 'author') this.capture = { key: `author.${name}`, text: '' };
  }

  private closeElement(name: string): void {
    const depth = this.path.length - 1;
    this.path.pop();
    if (this.capture && (depth === 2 || depth === 3) && (this.capture.key === name || this.capture.key === `author.${name}`)) {
      this.record?.fields.set(this.capture.key, this.capture.text);
      this.capture = null;
      return;
    }
    if (depth === 1 && this.record) {
      const { kind, dsqId, fields, refs } = this.record;
      this.record = null;
      if (kind === 'thread') {
        this.threads.set(dsqId, { id: dsqId, link: text(fields.get('link')), identifier: text(fields.get('id')), title: text(fields.get('title')) });
        return;
      }
      const deleted = flag(fields.get('isDeleted'));
      const spam = flag(fields.get('isSpam'));
      const created = Date.parse(text(fields.get('createdAt')));
      const parent = id(refs.get('parent'));
      this.onPost(
        {
          id: id(dsqId),
          parentId: Number.isSafeInteger(parent) ? parent : null,
          authorName: text(fields.get('author.name')) || text(fields.get('author.username')),
          authorEmail: text(fields.get('author.email')),
          authorUrl: null,
          authorIp: text(fields.get('ipAddress')) || null,
          createdAt: Number.isNaN(created) ? null : new Date(created),
          html: (fields.get('message') ?? '').trim(),
          // Spam wins over deleted: a deleted spam post stays recognisable as spam.
          approved: spam ? 'spam' : deleted ? 'trash' : '1',
          type: '',
          statusBeforeTrash: deleted && !spam ? '1' : null,
        },
        this.threads.get(refs.get('thread') ?? ''),
      );
    } else if (depth === 0) this.ended = true;
  }

  write(chunk: string): void {
    this.feed(chunk, false);
  }

  private feed(chunk: string, final: boolean): void {
    const { text: part, badAt } = this.entities.scan(chunk, final);
    this.parser.write(part);
    if (badAt >= 0) {
      const { line, column, bad } = this.entities;
      throw new WordPressExportError(`line ${line}, column ${column}: "${bad}" is not an XML entity (XML knows &amp; &lt; &gt; &quot; &apos; and numeric ones; text with & belongs in CDATA)`);
    }
  }

  close(): void {
    this.feed('', true);
    const { line, column } = this.parser;
    this.parser.close();
    if (!this.ended) throw new WordPressExportError(`line ${line}, column ${column + 1}: the file ends before its closing </disqus> (is it cut short?)`);
  }
}
