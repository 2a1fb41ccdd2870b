import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { comments, moderators } from '../schema';

export type CommentRow = typeof comments.$inferSelect;
export type NewCommentRow = typeof comments.$inferInsert;

/** Approved-comment count per post slug (posts without comments are absent). */
export function countApprovedByPost(db: Db): Map<string, number> {
  const rows = db
    .select({ slug: comments.postSlug, count: sql<number>`count(*)` })
    .from(comments)
    .where(eq(comments.status, 'approved'))
    .groupBy(comments.postSlug)
    .all();
  return new Map(rows.map((r) => [r.slug, r.count]));
}

/** Stores a new comment and returns its id. */
export function insertComment(db: Db, row: NewCommentRow): number {
  return db.insert(comments).values(row).returning({ id: comments.id }).get().id;
}

/** One comment by id, any status. */
export function findComment(db: Db, id: number): CommentRow | undefined {
  return db.select().from(comments).where(eq(comments.id, id)).get();
}

/**
 * What a post's thread needs: its approved comments, every comment that is a parent of
 * another (for "comment removed" placeholders), and the viewer's own pending ones.
 */
export function listThreadRows(db: Db, slug: string, viewerPendingIds: readonly number[]): CommentRow[] {
  const own = viewerPendingIds.length ? sql` or ${comments.id} in (${sql.join(viewerPendingIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  return db
    .select()
    .from(comments)
    .where(
      and(
        eq(comments.postSlug, slug),
        sql`(${comments.status} = 'approved' or ${comments.id} in (select parent_id from comments where post_slug = ${slug} and parent_id is not null)${own})`,
      ),
    )
    .orderBy(comments.createdAt, comments.id)
    .all();
}

/** These comments of this post (a viewer's own, from their signed cookie), oldest first as in `listThreadRows`. */
export function listOwnThreadRows(db: Db, slug: string, ids: readonly number[]): CommentRow[] {
  if (!ids.length) return [];
  return db
    .select()
    .from(comments)
    .where(and(eq(comments.postSlug, slug), inArray(comments.id, [...ids])))
    .orderBy(comments.createdAt, comments.id)
    .all();
}

/**
 * Whether one of these comments (the ones this browser wrote, from its signed cookie) is
 * approved and was written under this email (case-insensitive): proof of being that author.
 */
export function isApprovedAuthorAmong(db: Db, ids: readonly number[], email: string): boolean {
  if (!ids.length) return false;
  return !!db
    .select({ id: comments.id })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.status, 'approved'), sql`lower(${comments.authorEmail}) = lower(${email})`))
    .limit(1)
    .get();
}

/** When this client (keyed hash of its address) last commented, if ever. */
export function lastCommentTimeFromClient(db: Db, clientHash: string): Date | undefined {
  return db
    .select({ createdAt: comments.createdAt })
    .from(comments)
    .where(eq(comments.clientHash, clientHash))
    .orderBy(sql`${comments.createdAt} desc`)
    .limit(1)
    .get()?.createdAt;
}

/**
 * An earlier comment on this post with the same text, not thrown away, sent from the same
 * client or by this browser. Deliberately not matched by email: a refusal must not tell a
 * stranger which address wrote a public comment.
 */
export function findDuplicateComment(db: Db, slug: string, bodySource: string, sender: { clientHash: string; ownCommentIds: readonly number[] }): number | undefined {
  const sameSender = sender.ownCommentIds.length
    ? or(eq(comments.clientHash, sender.clientHash), inArray(comments.id, [...sender.ownCommentIds]))
    : eq(comments.clientHash, sender.clientHash);
  return db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.postSlug, slug), eq(comments.bodySource, bodySource), sql`${comments.status} != 'trash'`, sameSender))
    .limit(1)
    .get()?.id;
}

/** The comment imported under this key (e.g. `wordpress:123`), if any. */
export function findCommentIdByImportKey(db: Db, importKey: string): number | undefined {
  return db.select({ id: comments.id }).from(comments).where(eq(comments.importKey, importKey)).get()?.id;
}

/** What an imported row may carry (`id` and `moderatorId` may be null: assigned / none). */
const IMPORTED_COLUMNS = [
  'id', 'moderatorId', 'postSlug', 'parentId', 'status', 'previousStatus', 'authorName', 'authorEmail', 'authorUrl', 'bodySource', 'bodyHtml',
  'clientHash', 'decisionReason', 'importKey', 'createdAt', 'updatedAt',
] as const;
type ImportedRow = Pick<NewCommentRow, (typeof IMPORTED_COLUMNS)[number]> & { createdAt: Date; updatedAt: Date };

/**
 * Prepared statements for bulk imports: tens of thousands of rows through one statement each,
 * instead of building and preparing the SQL per row. Use inside the import's transaction.
 */
export function prepareCommentImport(db: Db) {
  const placeholders = Object.fromEntries(IMPORTED_COLUMNS.map((c) => [c, sql.placeholder(c)]));
  const insert = db.insert(comments).values(placeholders as unknown as NewCommentRow).returning({ id: comments.id }).prepare();
  const findImported = db
    .select({ id: comments.id, postSlug: comments.postSlug })
    .from(comments)
    .where(eq(comments.importKey, sql.placeholder('importKey')))
    .prepare();
  const setParent = db.update(comments).set({ parentId: sql.placeholder('parentId') as unknown as number }).where(eq(comments.id, sql.placeholder('id'))).prepare();
  return {
    insert: (row: ImportedRow): number => insert.get(Object.fromEntries(IMPORTED_COLUMNS.map((c) => [c, row[c] ?? null])))!.id,
    findImported: (importKey: string): { id: number; postSlug: string } | undefined => findImported.get({ importKey }),
    setParent: (id: number, parentId: number): void => void setParent.run({ id, parentId }),
    setErasedAt: (id: number, erasedAt: Date): void => void db.update(comments).set({ erasedAt }).where(eq(comments.id, id)).run(),
  };
}

/** Links a comment to its parent (imports insert first and connect replies after). */
export function setCommentParent(db: Db, id: number, parentId: number): void {
  db.update(comments).set({ parentId }).where(eq(comments.id, id)).run();
}

/** Every comment with its moderator's email and name (for "from the site" replies), by id: the archive export. */
export function listCommentsForExport(db: Db) {
  return db
    .select({ comment: comments, moderatorEmail: moderators.email, moderatorName: moderators.name })
    .from(comments)
    .leftJoin(moderators, eq(comments.moderatorId, moderators.id))
    .orderBy(comments.id)
    .all();
}

/** How many comments are stored (any status). */
export function countComments(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(comments).get()?.n ?? 0;
}

/**
 * A stored comment that is the same as an archived one without an import key: same post,
 * author email, creation time (to the millisecond) and text.
 */
export function findCommentByFingerprint(db: Db, row: { postSlug: string; authorEmail: string; createdAt: Date; bodySource: string }): number | undefined {
  return db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.postSlug, row.postSlug), eq(comments.authorEmail, row.authorEmail), eq(comments.createdAt, row.createdAt), eq(comments.bodySource, row.bodySource)))
    .limit(1)
    .get()?.id;
}

/**
 * Whether one of these comments (the viewer's own) is on this post and not published: only then
 * does the viewer's thread differ from everyone's (their pending comment is shown to them).
 */
export function hasUnpublishedAmong(db: Db, slug: string, ids: readonly number[]): boolean {
  if (!ids.length) return false;
  return !!db
    .select({ id: comments.id })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.postSlug, slug), inArray(comments.status, ['pending', 'spam'])))
    .limit(1)
    .get();
}

/** The viewer's own comments (ids from their signed cookie) on this post: what their Edit/Delete controls and notes need. */
export async function listOwnCommentsOnPost(db: Db, slug: string, ids: readonly number[]): Promise<Pick<CommentRow, 'id' | 'status' | 'createdAt' | 'erasedAt'>[]> {
  if (!ids.length) return [];
  return db
    .select({ id: comments.id, status: comments.status, createdAt: comments.createdAt, erasedAt: comments.erasedAt })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.postSlug, slug)))
    .all();
}

/** A published comment as a feed shows it: no email, no client hash. */
export interface FeedCommentRow {
  id: number;
  postSlug: string;
  authorName: string;
  bodyHtml: string;
  createdAt: Date;
}

/**
 * The newest approved comments (erased ones left out), newest first: site-wide, or of one post.
 * Uses the (status, created) and (post, status, created) indexes: no scan of the whole table.
 */
export async function listNewestApprovedComments(db: Db, { postSlug, limit }: { postSlug?: string; limit: number }): Promise<FeedCommentRow[]> {
  return db
    .select({ id: comments.id, postSlug: comments.postSlug, authorName: comments.authorName, bodyHtml: comments.bodyHtml, createdAt: comments.createdAt })
    .from(comments)
    .where(and(eq(comments.status, 'approved'), postSlug === undefined ? undefined : eq(comments.postSlug, postSlug), sql`${comments.erasedAt} is null`))
    .orderBy(sql`${comments.createdAt} desc`, sql`${comments.id} desc`)
    .limit(limit)
    .all();
}
