import { bumpPostStamps } from '../../db/queries/page-stamps';
import { DryRunRollback, type Db } from '../../db/client';
import { continueIdsAfterExplicitOnes } from '../../db/queries/rows';
import { countComments, findCommentByFingerprint, findCommentIdByImportKey, listCommentsForExport, commentImportSteps } from '../../db/queries/comments';
import { findModeratorByEmail } from '../../db/queries/moderators';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from '../domain/comments/export-format';
import { renderCommentBody } from '../render/comment-body';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** Every comment, oldest id first, in the archive format (src/domain/comments/export-format.ts). */
export async function exportAllComments(db: Db): Promise<ExportFile> {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    comments: (await listCommentsForExport(db)).map(({ comment: c, moderatorEmail, moderatorName }) => ({
      id: c.id,
      post: c.postSlug,
      parentId: c.parentId,
      status: c.status,
      previousStatus: c.previousStatus,
      authorName: c.authorName,
      authorEmail: c.authorEmail,
      authorUrl: c.authorUrl,
      source: c.bodySource,
      moderator: moderatorEmail === null ? null : { email: moderatorEmail, name: moderatorName ?? '' },
      decisionReason: c.decisionReason,
      clientHash: c.clientHash,
      importKey: c.importKey,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      erasedAt: iso(c.erasedAt),
    })),
  };
}

export interface ArchiveImportReport {
  imported: number;
  /** Already here (same import key, or same post, author email, time and text): left as they are. */
  duplicates: number;
  /** True when the database was empty and the comments kept their ids (a restore). */
  keptIds: boolean;
  /** Moderator replies whose moderator has no account here: imported as reader comments. */
  moderatorsMissing: { email: string; comments: number }[];
}

/**
 * Brings an archive into the database in one transaction. Into an empty database it is a
 * restore: every comment keeps its id, so exporting again gives the same file. Into one with
 * comments it merges: a comment already here (by import key, else by post + author email +
 * creation time + text) is skipped; the others get new ids and keep their threads. HTML is
 * rendered again from the source, never taken from the file. The file must have passed
 * `checkExportFile`.
 */
export async function importCommentArchive(db: Db, file: ExportFile, options: { dryRun?: boolean } = {}): Promise<ArchiveImportReport> {
  let report: ArchiveImportReport | undefined;
  try {
    await db.transaction(async (tx) => {
      const keptIds = await countComments(tx) === 0;
      const rows = commentImportSteps(tx);
      const ours = new Map<number, number>();
      const inserted: { id: number; parentId: number | null }[] = [];
      const moderatorIds = new Map<string, number | null>();
      const missing = new Map<string, number>();
      let duplicates = 0;
      for (const c of file.comments) {
        const createdAt = new Date(c.createdAt);
        if (!keptIds) {
          const existing = c.importKey !== null ? await findCommentIdByImportKey(tx, c.importKey) : await findCommentByFingerprint(tx, { postSlug: c.post, authorEmail: c.authorEmail, createdAt, bodySource: c.source });
          if (existing !== undefined) {
            ours.set(c.id, existing);
            duplicates++;
            continue;
          }
        }
        let moderatorId: number | null = null;
        if (c.moderator) {
          const email = c.moderator.email.toLowerCase();
          if (!moderatorIds.has(email)) moderatorIds.set(email, (await findModeratorByEmail(tx, c.moderator.email))?.id ?? null);
          moderatorId = moderatorIds.get(email) ?? null;
          if (moderatorId === null) missing.set(c.moderator.email, (missing.get(c.moderator.email) ?? 0) + 1);
        }
        const id = await rows.insert({
          id: keptIds ? c.id : undefined,
          moderatorId,
          postSlug: c.post,
          status: c.status,
          previousStatus: c.previousStatus,
          authorName: c.authorName,
          authorEmail: c.authorEmail,
          authorUrl: c.authorUrl,
          bodySource: c.source,
          bodyHtml: c.source ? renderCommentBody(c.source) : '',
          clientHash: c.clientHash,
          decisionReason: c.decisionReason,
          importKey: c.importKey,
          createdAt,
          updatedAt: new Date(c.updatedAt),
        });
        if (c.erasedAt) await rows.setErasedAt(id, new Date(c.erasedAt));
        ours.set(c.id, id);
        inserted.push({ id, parentId: c.parentId });
      }
      for (const { id, parentId } of inserted) if (parentId !== null) await rows.setParent(id, ours.get(parentId)!);
      if (keptIds) await continueIdsAfterExplicitOnes(tx, 'comments');
      await bumpPostStamps(tx, file.comments.filter((c) => ours.has(c.id)).map((c) => c.post));
      report = { imported: inserted.length, duplicates, keptIds, moderatorsMissing: [...missing].map(([email, comments]) => ({ email, comments })) };
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return report!;
}
