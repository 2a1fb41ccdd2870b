import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { comments } from '../schema';

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

/** Links a comment to its parent (imports insert first and connect replies after). */
export function setCommentParent(db: Db, id: number, parentId: number): void {
  db.update(comments).set({ parentId }).where(eq(comments.id, id)).run();
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
