import { and, eq, sql } from 'drizzle-orm';
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

/** Approved-comment count of one post. */
export function countApprovedForPost(db: Db, slug: string): number {
  const row = db
    .select({ count: sql<number>`count(*)` })
    .from(comments)
    .where(and(eq(comments.postSlug, slug), eq(comments.status, 'approved')))
    .get();
  return row?.count ?? 0;
}
