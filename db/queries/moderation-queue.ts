import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';
import { comments } from '../schema';
import type { CommentStatus } from '../../src/domain/comments/types';
import type { CommentRow } from './comments';

export const QUEUE_PAGE_SIZE = 50;

export interface QueueFilter {
  status: CommentStatus;
  postSlug?: string;
  /** Matched (case-insensitively) against author name, email and comment text. */
  search?: string;
  page: number;
}

export interface QueueRow extends CommentRow {
  parentAuthorName: string | null;
  parentBodySource: string | null;
  /** The parent's sanitised HTML, for an "in reply to" quote as readers saw it. */
  parentBodyHtml: string | null;
}

function filterCondition(filter: Omit<QueueFilter, 'page'>): SQL | undefined {
  const conditions: SQL[] = [eq(comments.status, filter.status)];
  if (filter.postSlug) conditions.push(eq(comments.postSlug, filter.postSlug));
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      sql`(${comments.authorName} like ${pattern} escape '\\' or ${comments.authorEmail} like ${pattern} escape '\\' or ${comments.bodySource} like ${pattern} escape '\\')`,
    );
  }
  return and(...conditions);
}

/** One page of the queue, newest first, with the comment each row answers. */
export function listQueue(db: Db, filter: QueueFilter): { rows: QueueRow[]; total: number } {
  const parent = alias(comments, 'parent');
  const where = filterCondition(filter);
  const rows = db
    .select({ comment: comments, parentAuthorName: parent.authorName, parentBodySource: parent.bodySource, parentBodyHtml: parent.bodyHtml })
    .from(comments)
    .leftJoin(parent, eq(comments.parentId, parent.id))
    .where(where)
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(QUEUE_PAGE_SIZE)
    .offset((filter.page - 1) * QUEUE_PAGE_SIZE)
    .all()
    .map((r) => ({ ...r.comment, parentAuthorName: r.parentAuthorName, parentBodySource: r.parentBodySource, parentBodyHtml: r.parentBodyHtml }));
  const total = db.select({ n: sql<number>`count(*)` }).from(comments).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** Number of comments in each status. */
export function countByStatus(db: Db): Record<string, number> {
  const rows = db.select({ status: comments.status, n: sql<number>`count(*)` }).from(comments).groupBy(comments.status).all();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Comments by id (any status). */
export function findComments(db: Db, ids: readonly number[]): CommentRow[] {
  return ids.length ? db.select().from(comments).where(inArray(comments.id, [...ids])).all() : [];
}

/** Sets a comment's status (and what it was before, for Restore). Leaving "approved" unpins it: only public comments are pinned. */
export function setCommentStatus(db: Db, id: number, status: CommentStatus, previousStatus: CommentStatus | null, now: Date): void {
  db.update(comments)
    .set({ status, previousStatus, updatedAt: now, ...(status === 'approved' ? {} : { pinnedAt: null }) })
    .where(eq(comments.id, id))
    .run();
}

/** Deletes a comment for good; its replies move up to its parent so the thread stays connected. */
export function deleteCommentPermanently(db: Db, id: number): void {
  const row = db.select({ parentId: comments.parentId }).from(comments).where(eq(comments.id, id)).get();
  if (!row) return;
  db.update(comments).set({ parentId: row.parentId }).where(eq(comments.parentId, id)).run();
  db.delete(comments).where(eq(comments.id, id)).run();
}

/** Replaces the editable fields of a comment. */
export function updateCommentContent(
  db: Db,
  id: number,
  content: { authorName: string; authorUrl: string | null; bodySource: string; bodyHtml: string },
  now: Date,
): void {
  db.update(comments).set({ ...content, updatedAt: now }).where(eq(comments.id, id)).run();
}

/** Post slugs that have comments, for the queue's post filter. */
export function listCommentedPostSlugs(db: Db): string[] {
  return db.selectDistinct({ slug: comments.postSlug }).from(comments).orderBy(comments.postSlug).all().map((r) => r.slug);
}

/** How many comments an author (by email, any case) has in each status. */
export interface AuthorHistory {
  approved: number;
  pending: number;
  spam: number;
  trash: number;
}

/** Lowercases like SQLite's lower() (ASCII only), so keys match what the index holds. */
const sqliteLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The history of each of these authors, keyed by the email as given (authors match in any
 * case): one grouped query over the `lower(author_email)` index for a whole page of the queue,
 * not one per row.
 */
export async function authorHistories(db: Db, emails: readonly string[]): Promise<Map<string, AuthorHistory>> {
  const wanted = [...new Set(emails.map(sqliteLower))];
  const byLower = new Map<string, AuthorHistory>();
  if (wanted.length) {
    const email = sql<string>`lower(${comments.authorEmail})`;
    const rows = db
      .select({ email, status: comments.status, n: sql<number>`count(*)` })
      .from(comments)
      .where(inArray(email, wanted))
      .groupBy(email, comments.status)
      .all();
    for (const row of rows) {
      const history = byLower.get(row.email) ?? { approved: 0, pending: 0, spam: 0, trash: 0 };
      if (row.status in history) history[row.status as keyof AuthorHistory] = row.n;
      byLower.set(row.email, history);
    }
  }
  return new Map(emails.map((e) => [e, byLower.get(sqliteLower(e)) ?? { approved: 0, pending: 0, spam: 0, trash: 0 }]));
}
