import type { Db } from '../../db/client';
import { findCommentIdByImportKey, insertComment, setCommentParent } from '../../db/queries/comments';
import { bumpPostStamps } from '../../db/queries/page-stamps';
import { COMMENT_LIMITS, validateCommentInput } from '../domain/comments/validation';
import type { WordPressComment, WordPressPost } from '../domain/comments/wordpress';
import { commentSourceFromHtml, renderCommentBody } from '../render/comment-body';
import { keyedHash } from './tokens';

export interface ImportReport {
  imported: number;
  /** Already imported by an earlier run (matched by WordPress comment id): left as they are. */
  alreadyImported: number;
  /** Posts of the export that have no Markdown file here, with how many comments they carry. */
  unknownPosts: { slug: string; comments: number }[];
  /** Pingbacks and trackbacks, and comments with no text. */
  skipped: number;
}

/**
 * What one WordPress comment becomes here. It is untrusted input like any new comment: the same
 * validation normalises name and website and the same renderer produces the HTML. An address
 * that is not valid here is kept out of the public thread's data (stored empty) rather than
 * losing the comment.
 */
function toComment(comment: WordPressComment, postSlug: string, secret: string) {
  const source = [...commentSourceFromHtml(comment.html)].slice(0, COMMENT_LIMITS.bodyMax).join('').trim();
  if (!source) return null;
  const checked = validateCommentInput({ name: comment.authorName || 'Anonymous', email: 'import@example.invalid', website: comment.authorUrl ?? '', comment: source });
  const email = validateCommentInput({ name: 'x', email: comment.authorEmail, comment: 'x' });
  const name = checked.ok ? checked.value.name : [...(comment.authorName || 'Anonymous')].slice(0, COMMENT_LIMITS.nameMax).join('');
  return {
    postSlug,
    status: comment.status,
    authorName: name,
    authorEmail: email.ok ? email.value.email : '',
    authorUrl: checked.ok ? checked.value.website : null,
    bodySource: source,
    bodyHtml: renderCommentBody(source),
    clientHash: comment.authorIp ? keyedHash(secret, 'client', comment.authorIp) : null,
    decisionReason: 'imported',
    importKey: `wordpress:${comment.id}`,
    createdAt: comment.createdAt,
    updatedAt: comment.createdAt,
  };
}

/**
 * Imports the comments of a WordPress export onto the posts that exist here (matched by slug),
 * in one transaction: all or nothing. Replies keep their parents; statuses carry over (approved,
 * pending, spam, trash). Running it again imports only what is new.
 */
export function importWordPressComments(db: Db, posts: readonly WordPressPost[], knownSlugs: ReadonlySet<string>, secret: string): ImportReport {
  const report: ImportReport = { imported: 0, alreadyImported: 0, unknownPosts: [], skipped: 0 };
  db.transaction((tx) => {
    const idByWordPressId = new Map<number, number>();
    const replies: { id: number; wordPressParent: number }[] = [];
    const importedOn = new Set<string>();
    for (const post of posts) {
      report.skipped += post.skippedPings;
      if (!knownSlugs.has(post.slug)) {
        if (post.comments.length) report.unknownPosts.push({ slug: post.slug, comments: post.comments.length });
        continue;
      }
      for (const comment of post.comments) {
        const existing = findCommentIdByImportKey(tx, `wordpress:${comment.id}`);
        if (existing !== undefined) {
          idByWordPressId.set(comment.id, existing);
          report.alreadyImported++;
          continue;
        }
        const row = toComment(comment, post.slug, secret);
        if (!row) {
          report.skipped++;
          continue;
        }
        const id = insertComment(tx, row);
        importedOn.add(post.slug);
        idByWordPressId.set(comment.id, id);
        if (comment.parentId !== null) replies.push({ id, wordPressParent: comment.parentId });
        report.imported++;
      }
    }
    for (const { id, wordPressParent } of replies) {
      const parentId = idByWordPressId.get(wordPressParent);
      if (parentId !== undefined) setCommentParent(tx, id, parentId);
    }
    bumpPostStamps(tx, importedOn);
  });
  return report;
}
