import { and, eq, inArray, or, sql, count } from 'drizzle-orm';
import { firstRow } from './rows';
import type { comments, moderators } from '../schema/sqlite';
import type { Db } from '../client';

export type CommentRow = typeof comments.$inferSelect;
export type NewCommentRow = typeof comments.$inferInsert;

/** Approved-comment count per post slug (posts without comments are absent). */
export async function countApprovedByPost(db: Db): Promise<Map<string, number>> {
  const { comments } = db.tables;
  const rows = await db
    .orm.select({ slug: comments.postSlug, count: count() })
    .from(comments)
    .where(eq(comments.status, 'approved'))
    .groupBy(comments.postSlug)
    ;
  return new Map(rows.map((r) => [r.slug, r.count]));
}

/** Stores a new comment and returns its id. */
export async function insertComment(db: Db, row: NewCommentRow): Promise<number> {
  const { comments } = db.tables;
  return db.orm.insert(comments).values(row).returning({ id: comments.id }).then((rows) => rows[0]!.id);
}

/** One comment by id, any status. */
export async function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  const { comments } = db.tables;
  return db.orm.select().from(comments).where(eq(comments.id, id)).then(firstRow);
}

/**
 * What a post's thread needs: its approved comments, every comment that is a parent of
 * another (for "comment removed" placeholders), and the viewer's own pending ones.
 */
export async function listThreadRows(db: Db, slug: string, viewerPendingIds: readonly number[]): Promise<CommentRow[]> {
  const { comments } = db.tables;
  const own = viewerPendingIds.length ? sql` or ${comments.id} in (${sql.join(viewerPendingIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  return db
    .orm.select()
    .from(comments)
    .where(
      and(
        eq(comments.postSlug, slug),
        sql`(${comments.status} = 'approved' or ${comments.id} in (select parent_id from comments where post_slug = ${slug} and parent_id is not null)${own})`,
      ),
    )
    .orderBy(comments.createdAt, comments.id)
    ;
}

/** These comments of this post (a viewer's own, from their signed cookie), oldest first as in `listThreadRows`. */
export async function listOwnThreadRows(db: Db, slug: string, ids: readonly number[]): Promise<CommentRow[]> {
  const { comments } = db.tables;
  if (!ids.length) return [];
  return db
    .orm.select()
    .from(comments)
    .where(and(eq(comments.postSlug, slug), inArray(comments.id, [...ids])))
    .orderBy(comments.createdAt, comments.id)
    ;
}

/**
 * Whether one of these comments (the ones this browser wrote, from its signed cookie) is
 * approved and was written under this email (case-insensitive): proof of being that author.
 */
export async function isApprovedAuthorAmong(db: Db, ids: readonly number[], email: string): Promise<boolean> {
  const { comments } = db.tables;
  if (!ids.length) return false;
  return !!(await db
    .orm.select({ id: comments.id })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.status, 'approved'), sql`lower(${comments.authorEmail}) = lower(${email})`))
    .limit(1)
    .then(firstRow));
}

/** When this client (keyed hash of its address) last commented, if ever. */
export async function lastCommentTimeFromClient(db: Db, clientHash: string): Promise<Date | undefined> {
  const { comments } = db.tables;
  return db
    .orm.select({ createdAt: comments.createdAt })
    .from(comments)
    .where(eq(comments.clientHash, clientHash))
    .orderBy(sql`${comments.createdAt} desc`)
    .limit(1)
    .then((rows) => rows[0]?.createdAt);
}

/**
 * An earlier comment on this post with the same text, not thrown away, sent from the same
 * client or by this browser. Deliberately not matched by email: a refusal must not tell a
 * stranger which address wrote a public comment.
 */
export async function findDuplicateComment(db: Db, slug: string, bodySource: string, sender: { clientHash: string; ownCommentIds: readonly number[] }): Promise<number | undefined> {
  const { comments } = db.tables;
  const sameSender = sender.ownCommentIds.length
    ? or(eq(comments.clientHash, sender.clientHash), inArray(comments.id, [...sender.ownCommentIds]))
    : eq(comments.clientHash, sender.clientHash);
  return db
    .orm.select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.postSlug, slug), eq(comments.bodySource, bodySource), sql`${comments.status} != 'trash'`, sameSender))
    .limit(1)
    .then((rows) => rows[0]?.id);
}

/** The comment imported under this key (e.g. `wordpress:123`), if any. */
export async function findCommentIdByImportKey(db: Db, importKey: string): Promise<number | undefined> {
  const { comments } = db.tables;
  return db.orm.select({ id: comments.id }).from(comments).where(eq(comments.importKey, importKey)).then((rows) => rows[0]?.id);
}

/** What an imported row may carry (`id` and `moderatorId` may be null: assigned / none). */
const IMPORTED_COLUMNS = [
  'id', 'moderatorId', 'postSlug', 'parentId', 'status', 'previousStatus', 'authorName', 'authorEmail', 'authorUrl', 'bodySource', 'bodyHtml',
  'clientHash', 'decisionReason', 'importKey', 'createdAt', 'updatedAt',
] as const;
type ImportedRow = Pick<NewCommentRow, (typeof IMPORTED_COLUMNS)[number]> & { createdAt: Date; updatedAt: Date };

/**
 * What a bulk import does per row, on either dialect: insert (keeping the archive's id when it
 * has one), find an earlier import of the same key, connect a reply, mark an erased comment.
 * Use inside the import's transaction.
 */
export function commentImportSteps(db: Db) {
  const { comments } = db.tables;
  return {
    insert: async (row: ImportedRow): Promise<number> => {
      const values = Object.fromEntries(IMPORTED_COLUMNS.map((c) => [c, row[c] ?? null]).filter(([c, v]) => !(c === 'id' && v === null)));
      const [inserted] = await db.orm.insert(comments).values(values as NewCommentRow).returning({ id: comments.id });
      return inserted!.id;
    },
    findImported: async (importKey: string): Promise<{ id: number; postSlug: string } | undefined> =>
      db.orm.select({ id: comments.id, postSlug: comments.postSlug }).from(comments).where(eq(comments.importKey, importKey)).then(firstRow),
    setParent: async (id: number, parentId: number): Promise<void> => {
      await db.orm.update(comments).set({ parentId }).where(eq(comments.id, id));
    },
    setErasedAt: async (id: number, erasedAt: Date): Promise<void> => {
      await db.orm.update(comments).set({ erasedAt }).where(eq(comments.id, id));
    },
  };
}

/** Links a comment to its parent (imports insert first and connect replies after). */
export async function setCommentParent(db: Db, id: number, parentId: number): Promise<void> {
  const { comments } = db.tables;
  await db.orm.update(comments).set({ parentId }).where(eq(comments.id, id));
}

/** Every comment with its moderator's email and name (for "from the site" replies), by id: the archive export. */
export async function listCommentsForExport(db: Db) {
  const { comments, moderators } = db.tables;
  return db
    .orm.select({ comment: comments, moderatorEmail: moderators.email, moderatorName: moderators.name })
    .from(comments)
    .leftJoin(moderators, eq(comments.moderatorId, moderators.id))
    .orderBy(comments.id)
    ;
}

/** How many comments are stored (any status). */
export async function countComments(db: Db): Promise<number> {
  const { comments } = db.tables;
  return db.orm.select({ n: count() }).from(comments).then((rows) => rows[0]?.n ?? 0);
}

/**
 * A stored comment that is the same as an archived one without an import key: same post,
 * author email, creation time (to the millisecond) and text.
 */
export async function findCommentByFingerprint(db: Db, row: { postSlug: string; authorEmail: string; createdAt: Date; bodySource: string }): Promise<number | undefined> {
  const { comments } = db.tables;
  return db
    .orm.select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.postSlug, row.postSlug), eq(comments.authorEmail, row.authorEmail), eq(comments.createdAt, row.createdAt), eq(comments.bodySource, row.bodySource)))
    .limit(1)
    .then((rows) => rows[0]?.id);
}

/**
 * Whether one of these comments (the viewer's own) is on this post and not published: only then
 * does the viewer's thread differ from everyone's (their pending comment is shown to them).
 */
export async function hasUnpublishedAmong(db: Db, slug: string, ids: readonly number[]): Promise<boolean> {
  const { comments } = db.tables;
  if (!ids.length) return false;
  return !!(await db
    .orm.select({ id: comments.id })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.postSlug, slug), inArray(comments.status, ['pending', 'spam'])))
    .limit(1)
    .then(firstRow));
}

/** The viewer's own comments (ids from their signed cookie) on this post: what their Edit/Delete controls and notes need. */
export async function listOwnCommentsOnPost(db: Db, slug: string, ids: readonly number[]): Promise<Pick<CommentRow, 'id' | 'status' | 'createdAt' | 'erasedAt'>[]> {
  const { comments } = db.tables;
  if (!ids.length) return [];
  return db
    .orm.select({ id: comments.id, status: comments.status, createdAt: comments.createdAt, erasedAt: comments.erasedAt })
    .from(comments)
    .where(and(inArray(comments.id, [...ids]), eq(comments.postSlug, slug)))
    ;
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
  const { comments } = db.tables;
  return db
    .orm.select({ id: comments.id, postSlug: comments.postSlug, authorName: comments.authorName, bodyHtml: comments.bodyHtml, createdAt: comments.createdAt })
    .from(comments)
    .where(and(eq(comments.status, 'approved'), postSlug === undefined ? undefined : eq(comments.postSlug, postSlug), sql`${comments.erasedAt} is null`))
    .orderBy(sql`${comments.createdAt} desc`, sql`${comments.id} desc`)
    .limit(limit)
    ;
}
