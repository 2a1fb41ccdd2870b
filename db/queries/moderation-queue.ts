import { and, desc, eq, inArray, sql, type SQL, count } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { firstRow } from './rows';
import type { comments } from '../schema/sqlite';
import type { Db } from '../client';
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

function filterCondition(db: Db, filter: Omit<QueueFilter, 'page'>): SQL | undefined {
  const { comments } = db.tables;
  const conditions: SQL[] = [eq(comments.status, filter.status)];
  if (filter.postSlug) conditions.push(eq(comments.postSlug, filter.postSlug));
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      sql`(lower(${comments.authorName}) like lower(${pattern}) escape '\\' or lower(${comments.authorEmail}) like lower(${pattern}) escape '\\' or lower(${comments.bodySource}) like lower(${pattern}) escape '\\')`,
    );
  }
  return and(...conditions);
}

/** One page of the queue, newest first, with the comment each row answers. */
export async function listQueue(db: Db, filter: QueueFilter): Promise<{ rows: QueueRow[]; total: number }> {
  const { comments } = db.tables;
  const parent = alias(comments, 'parent');
  const where = filterCondition(db, filter);
  const rows = await db
    .orm.select({ comment: comments, parentAuthorName: parent.authorName, parentBodySource: parent.bodySource, parentBodyHtml: parent.bodyHtml })
    .from(comments)
    .leftJoin(parent, eq(comments.parentId, parent.id))
    .where(where)
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(QUEUE_PAGE_SIZE)
    .offset((filter.page - 1) * QUEUE_PAGE_SIZE)
    .then((found) => found.map((r) => ({ ...r.comment, parentAuthorName: r.parentAuthorName, parentBodySource: r.parentBodySource, parentBodyHtml: r.parentBodyHtml })));
  const total = await db.orm.select({ n: count() }).from(comments).where(where).then((rows) => rows[0]?.n ?? 0);
  return { rows, total };
}

/** Number of comments in each status. */
export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const { comments } = db.tables;
  const rows = await db.orm.select({ status: comments.status, n: count() }).from(comments).groupBy(comments.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Comments by id (any status). */
export async function findComments(db: Db, ids: readonly number[]): Promise<CommentRow[]> {
  const { comments } = db.tables;
  return ids.length ? await db.orm.select().from(comments).where(inArray(comments.id, [...ids])) : [];
}

/** Sets a comment's status (and what it was before, for Restore). Leaving "approved" unpins it: only public comments are pinned. */
export async function setCommentStatus(db: Db, id: number, status: CommentStatus, previousStatus: CommentStatus | null, now: Date): Promise<void> {
  const { comments } = db.tables;
  await db.orm.update(comments)
    .set({ status, previousStatus, updatedAt: now, ...(status === 'approved' ? {} : { pinnedAt: null }) })
    .where(eq(comments.id, id))
    ;
}

/** Deletes a comment for good; its replies move up to its parent so the thread stays connected. */
export async function deleteCommentPermanently(db: Db, id: number): Promise<void> {
  const { comments } = db.tables;
  const row = await db.orm.select({ parentId: comments.parentId }).from(comments).where(eq(comments.id, id)).then(firstRow);
  if (!row) return;
  await db.orm.update(comments).set({ parentId: row.parentId }).where(eq(comments.parentId, id));
  await db.orm.delete(comments).where(eq(comments.id, id));
}

/** Replaces the editable fields of a comment. */
export async function updateCommentContent(
  db: Db,
  id: number,
  content: { authorName: string; authorUrl: string | null; bodySource: string; bodyHtml: string },
  now: Date,
): Promise<void> {
  const { comments } = db.tables;
  await db.orm.update(comments).set({ ...content, updatedAt: now }).where(eq(comments.id, id));
}

/** Post slugs that have comments, for the queue's post filter. */
export async function listCommentedPostSlugs(db: Db): Promise<string[]> {
  const { comments } = db.tables;
  return db.orm.selectDistinct({ slug: comments.postSlug }).from(comments).orderBy(comments.postSlug).then((rows) => rows.map((r) => r.slug));
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
  const { comments } = db.tables;
  const wanted = [...new Set(emails.map(sqliteLower))];
  const byLower = new Map<string, AuthorHistory>();
  if (wanted.length) {
    const email = sql<string>`lower(${comments.authorEmail})`;
    const rows = await db
      .orm.select({ email, status: comments.status, n: count() })
      .from(comments)
      .where(inArray(email, wanted))
      .groupBy(email, comments.status)
      ;
    for (const row of rows) {
      const history = byLower.get(row.email) ?? { approved: 0, pending: 0, spam: 0, trash: 0 };
      if (row.status in history) history[row.status as keyof AuthorHistory] = row.n;
      byLower.set(row.email, history);
    }
  }
  return new Map(emails.map((e) => [e, byLower.get(sqliteLower(e)) ?? { approved: 0, pending: 0, spam: 0, trash: 0 }]));
}
