import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Db } from '../../../db/client';
import { DryRunRollback } from '../../../db/client';
import { commentImportSteps } from '../../../db/queries/comments';
import { bumpPostStamps } from '../../../db/queries/page-stamps';
import { COMMENT_LIMITS, validateCommentInput } from '../../domain/comments/validation';
import { judgeWordPressComment, WordPressExportReader, type CommentVerdict, type WordPressComment, type WordPressItem } from '../../domain/comments/wordpress';
import { commentSourceFromHtml } from '../../render/comment-source';
import { keyedHash } from '../tokens';

/** Every kind of comment the import leaves out or changes, each listed with WordPress comment ids. */
export type ImportNoteKind =
  | 'ping'
  | 'other-type'
  | 'unknown-status'
  | 'no-date'
  | 'no-id'
  | 'empty'
  | 'no-post'
  | 'post-trashed'
  | 'parent-other-post'
  | 'parent-missing'
  | 'long'
  | 'formatting'
  | 'email-dropped'
  | 'website-dropped'
  | 'name-changed';

/** What each kind means, for the command's report (the lines say what happened to those comments). */
export const IMPORT_NOTE_TEXT: Record<ImportNoteKind, string> = {
  ping: 'pingbacks and trackbacks (not reader comments): not imported',
  'other-type': 'comments of another type (not reader comments): not imported',
  'unknown-status': 'comments with an unknown status: not imported',
  'no-date': 'comments without a date: not imported',
  'no-id': 'comments without an id: not imported',
  empty: 'comments without text: not imported',
  'no-post': 'comments on posts or pages that have no file in content/posts: not imported (add the file and run again)',
  'post-trashed': 'comments on a post WordPress has in its trash: imported as trash (Restore brings back their earlier status)',
  'parent-other-post': 'replies to a comment on another post: imported as top-level comments',
  'parent-missing': 'replies to a comment that is not imported: imported as top-level comments',
  long: `comments longer than the ${COMMENT_LIMITS.bodyMax.toLocaleString('en')} characters new comments may have: imported whole (a moderator's edit must shorten them)`,
  formatting: 'comments whose bold, italic or code could not be written in this format: imported with their text exact, without that formatting',
  'email-dropped': 'comments with an email address that is not valid here: imported without the address',
  'website-dropped': 'comments with a website that is not valid here: imported without the website',
  'name-changed': `comments whose author name was empty or longer than ${COMMENT_LIMITS.nameMax} characters: imported as "Anonymous" or shortened`,
};

export interface ImportNote {
  kind: ImportNoteKind;
  /** The comment's id where it came from: WordPress's comment id (as in wp-admin's links) or Disqus's post id. */
  sourceId: number;
  /** Where it helps: the post slug, the parent, the length. */
  detail?: string;
}

export interface ImportReport {
  imported: number;
  /** Already imported by an earlier run (matched by WordPress comment id): left as they are. */
  alreadyImported: number;
  /** Everything left out or changed, in file order. */
  notes: ImportNote[];
}

interface Pending {
  /** Our id of an imported reply, its WordPress id and post, and the WordPress id of its parent. */
  id: number;
  sourceId: number;
  postSlug: string;
  sourceParent: number;
}

/** Where comments come from: their import keys' prefix and how their HTML reads. */
export interface CommentSource {
  prefix: 'wordpress' | 'disqus';
  /** WordPress text has newlines that mean breaks; Disqus messages are ordinary HTML. */
  reading: 'wordpress' | 'html';
}

/**
 * The import's state while a file streams by: one item (a post's comments) at a time, plus
 * small maps of ids. Shared by the WordPress and Disqus importers.
 */
export class CommentImport {
  readonly report: ImportReport = { imported: 0, alreadyImported: 0, notes: [] };
  /** WordPress comment id → post slug, for every comment seen (to tell "other post" from "missing"). */
  private readonly postOf = new Map<number, string>();
  /** WordPress comment id → our id, for every comment imported now or before. */
  private readonly ours = new Map<number, number>();
  private readonly orphans: Pending[] = [];

  private readonly db: ReturnType<typeof commentImportSteps>;
  /** Items the (synchronous) reader handed over, stored by the next `drain()`. */
  private queued: WordPressItem[] = [];
  /** Posts that gained comments: their cached pages (and the listings) go stale at commit. */
  private readonly changedPosts = new Set<string>();

  constructor(
    private readonly tx: Db,
    private readonly knownSlugs: ReadonlySet<string>,
    private readonly secret: string,
    private readonly source: CommentSource = { prefix: 'wordpress', reading: 'wordpress' },
  ) {
    this.db = commentImportSteps(tx);
  }

  private note(kind: ImportNoteKind, sourceId: number, detail?: string): void {
    this.report.notes.push(detail === undefined ? { kind, sourceId } : { kind, sourceId, detail });
  }

  /** Takes an item from the reader; it is stored by the next `drain()`. */
  item(item: WordPressItem): void {
    this.queued.push(item);
  }

  /** Stores the items read so far (called after each piece of the file, so memory stays bounded). */
  async drain(): Promise<void> {
    const items = this.queued;
    this.queued = [];
    for (const item of items) await this.store(item);
  }

  private async store(item: WordPressItem): Promise<void> {
    const known = this.knownSlugs.has(item.slug);
    const replies: Pending[] = [];
    for (const comment of item.comments) {
      if (Number.isSafeInteger(comment.id)) this.postOf.set(comment.id, item.slug);
      const verdict = judgeWordPressComment(comment);
      if (!verdict.import) {
        this.note(verdict.reason, comment.id);
        continue;
      }
      if (!known) {
        this.note('no-post', comment.id, `${item.type || 'item'} "${item.slug || item.title}"${Number.isSafeInteger(item.postId) ? ` (WordPress post id ${item.postId})` : ''}`);
        continue;
      }
      const existing = await this.db.findImported(`${this.source.prefix}:${comment.id}`);
      if (existing) {
        this.ours.set(comment.id, existing.id);
        this.report.alreadyImported++;
        continue;
      }
      const id = await this.insert(comment, item.slug, verdict);
      if (id === undefined) continue;
      this.changedPosts.add(item.slug);
      this.ours.set(comment.id, id);
      this.report.imported++;
      if (verdict.fromTrashedPost) this.note('post-trashed', comment.id, item.slug);
      if (comment.parentId !== null) replies.push({ id, sourceId: comment.id, postSlug: item.slug, sourceParent: comment.parentId });
    }
    // Parents may come after their replies in the file: connect once the whole item is read.
    for (const reply of replies) {
      const parent = this.ours.get(reply.sourceParent) ?? (await this.earlierImport(reply));
      if (parent !== undefined && this.postOf.get(reply.sourceParent) === reply.postSlug) await this.db.setParent(reply.id, parent);
      else this.orphans.push(reply);
    }
  }

  /** A parent imported by an earlier run; only on the same post. */
  private async earlierImport(reply: Pending): Promise<number | undefined> {
    const earlier = await this.db.findImported(`${this.source.prefix}:${reply.sourceParent}`);
    if (!earlier) return undefined;
    if (!this.postOf.has(reply.sourceParent)) this.postOf.set(reply.sourceParent, earlier.postSlug);
    return earlier.postSlug === reply.postSlug ? earlier.id : undefined;
  }

  private async insert(comment: WordPressComment, postSlug: string, verdict: Extract<CommentVerdict, { import: true }>): Promise<number | undefined> {
    const { source, html, formattingDropped } = commentSourceFromHtml(comment.html, this.source.reading);
    if (!source) {
      this.note('empty', comment.id);
      return undefined;
    }
    const length = [...source].length;
    if (length > COMMENT_LIMITS.bodyMax) this.note('long', comment.id, `${length.toLocaleString('en')} characters`);
    if (formattingDropped) this.note('formatting', comment.id);

    // Name, address and website go through the same checks (and normalisation) as a new comment's.
    const all = validateCommentInput({ name: comment.authorName, email: comment.authorEmail, website: comment.authorUrl ?? '', comment: 'x' });
    const field = <F extends 'name' | 'email' | 'website'>(f: F, value: string) => (all.ok ? all.value[f] ?? undefined : checkedField(f, value));
    let name = field('name', comment.authorName);
    if (name === undefined) {
      const typed = comment.authorName.replace(/\s+/gu, ' ').trim();
      name = typed ? [...typed].slice(0, COMMENT_LIMITS.nameMax).join('') : 'Anonymous';
      this.note('name-changed', comment.id, name);
    }
    const email = field('email', comment.authorEmail);
    if (email === undefined && comment.authorEmail) this.note('email-dropped', comment.id);
    const website = comment.authorUrl ? field('website', comment.authorUrl) : null;
    if (website === undefined) this.note('website-dropped', comment.id, comment.authorUrl ?? '');
    const createdAt = comment.createdAt!;
    return this.db.insert({
      postSlug,
      status: verdict.status,
      previousStatus: verdict.previousStatus,
      authorName: name,
      authorEmail: email ?? '',
      authorUrl: website ?? null,
      bodySource: source,
      bodyHtml: html,
      clientHash: comment.authorIp ? keyedHash(this.secret, 'client', comment.authorIp) : null,
      decisionReason: 'imported',
      importKey: `${this.source.prefix}:${comment.id}`,
      createdAt,
      updatedAt: createdAt,
    });
  }

  /**
   * Replies whose parent is on another post or not imported stay top level; each is named.
   * The posts that changed are marked for the page cache, in the import's transaction.
   */
  async finish(): Promise<void> {
    await this.drain();
    await bumpPostStamps(this.tx, this.changedPosts);
    for (const reply of this.orphans) {
      // A parent that came later in the file (Disqus lists posts in any order).
      const parent = this.ours.get(reply.sourceParent);
      if (parent !== undefined && this.postOf.get(reply.sourceParent) === reply.postSlug) {
        await this.db.setParent(reply.id, parent);
        continue;
      }
      const parentPost = this.postOf.get(reply.sourceParent);
      if (parentPost !== undefined && parentPost !== reply.postSlug) this.note('parent-other-post', reply.sourceId, `parent ${reply.sourceParent} is on "${parentPost}"`);
      else this.note('parent-missing', reply.sourceId, `parent ${reply.sourceParent}`);
    }
  }
}

const VALID = { name: 'x', email: 'x@example.com', website: '', comment: 'x' };

/** One author field as the comment form would store it, or undefined when the form would refuse it. */
function checkedField<F extends 'name' | 'email' | 'website'>(field: F, value: string): string | undefined {
  const checked = validateCommentInput({ ...VALID, [field]: value });
  return checked.ok ? (checked.value[field] ?? undefined) : undefined;
}

export interface ImportOptions {
  /** Slugs of the posts that exist here (content/posts file names). */
  knownSlugs: ReadonlySet<string>;
  /** Key for the keyed hash of commenters' addresses (flood control), as for new comments. */
  secret: string;
  /** Do everything, report, then roll back. */
  dryRun?: boolean;
}

/**
 * Imports the comments of a WordPress export, read piece by piece from `chunks`, onto the
 * posts that exist here (matched by slug), in one transaction: a malformed file or any other
 * failure leaves nothing behind. Running it again imports only what is new (comments are
 * keyed `wordpress:<id>`), and replies to comments imported before attach to them.
 * Throws WordPressExportError for a malformed file.
 */
export async function importWordPressExport(db: Db, chunks: Iterable<string>, options: ImportOptions): Promise<ImportReport> {
  return runStreamedImport(db, chunks, options, { prefix: 'wordpress', reading: 'wordpress' }, (run) => new WordPressExportReader((item) => run.item(item)));
}

/**
 * The transaction every streamed import shares: feed the file to a reader that hands items to
 * one CommentImport, finish it, and roll back for a dry run (keeping the report).
 */
export async function runStreamedImport(
  db: Db,
  chunks: Iterable<string>,
  options: ImportOptions,
  source: CommentSource,
  createReader: (run: CommentImport) => { write(chunk: string): void; close(): void },
): Promise<ImportReport> {
  let report: ImportReport | undefined;
  try {
    await db.transaction(async (tx) => {
      const run = new CommentImport(tx, options.knownSlugs, options.secret, source);
      const reader = createReader(run);
      for (const chunk of chunks) {
        reader.write(chunk);
        await run.drain();
      }
      reader.close();
      await run.finish();
      report = run.report;
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return report!;
}

/** A file's text in pieces of `size` bytes (UTF-8 sequences split between pieces are joined). */
export function* readFileInChunks(path: string, size = 1 << 20): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const decoder = new StringDecoder('utf8');
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) yield decoder.write(buffer.subarray(0, read));
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}
