/**
 * The comments archive (`npm run export`, `npm run import:json`): one JSON file holding every
 * comment, versioned. Its JSON Schema is db/export-format.schema.json; this zod schema checks
 * the same rules on import, with messages naming the field. Pure: no I/O.
 */
import { z } from 'astro/zod';
import { COMMENT_STATUSES, type CommentStatus } from './types';

export const EXPORT_FORMAT = 'afterword-comments';
export const EXPORT_VERSION = 1;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'must be an ISO 8601 UTC time such as 2024-03-01T09:15:00.000Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date');
const status = z.enum(COMMENT_STATUSES as unknown as [CommentStatus, ...CommentStatus[]], { errorMap: () => ({ message: `must be one of ${COMMENT_STATUSES.join(', ')}` }) });

export const ExportedCommentSchema = z
  .object({
    /** The comment's id in the database it came from; parents refer to it. */
    id: z.number().int().positive(),
    /** The post's slug (content/posts/<post>.md). */
    post: z.string().min(1),
    /** The id (in this file) of the comment it answers, or null. */
    parentId: z.number().int().positive().nullable(),
    status,
    /** What it was before spam/trash, for Restore. */
    previousStatus: status.nullable(),
    authorName: z.string(),
    authorEmail: z.string(),
    authorUrl: z.string().nullable(),
    /** The comment text as stored (the renderer's source; HTML is made again on import, never read). */
    source: z.string(),
    /** The moderator who wrote it from the admin ("from the site"), by email and name; null for readers. */
    moderator: z.object({ email: z.string().min(1), name: z.string() }).strict().nullable(),
    /** Why the spam guard chose the first status ('imported', 'known-author', …). */
    decisionReason: z.string().nullable(),
    /** Keyed hash of the client address (only meaningful with the same AFTERWORD_SECRET). */
    clientHash: z.string().nullable(),
    /** Where an imported comment came from (`wordpress:12`, `disqus:…`); the merge identity. */
    importKey: z.string().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    /** When the commenter's personal data was erased (GDPR); null otherwise. */
    erasedAt: isoDate.nullable(),
  })
  .strict();

export const ExportFileSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT, { errorMap: () => ({ message: `must be "${EXPORT_FORMAT}"` }) }),
    version: z.literal(EXPORT_VERSION, { errorMap: () => ({ message: `must be ${EXPORT_VERSION} (this version of Afterword reads version ${EXPORT_VERSION})` }) }),
    comments: z.array(ExportedCommentSchema),
  })
  .strict();

export type ExportedComment = z.infer<typeof ExportedCommentSchema>;
export type ExportFile = z.infer<typeof ExportFileSchema>;

/**
 * Checks a parsed JSON document against the format, including what a schema cannot say (ids
 * unique, parents present in the file and on the same post). Returns the first problem as
 * one line naming where it is.
 */
export function checkExportFile(json: unknown): { ok: true; value: ExportFile } | { ok: false; error: string } {
  const parsed = ExportFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.reduce<string>((at, part) => (typeof part === 'number' ? `${at}[${part}]` : at ? `${at}.${part}` : String(part)), '');
    return { ok: false, error: `${where || 'the file'}: ${issue.message}` };
  }
  const posts = new Map<number, string>();
  for (const [i, c] of parsed.data.comments.entries()) {
    if (posts.has(c.id)) return { ok: false, error: `comments[${i}].id: ${c.id} appears twice` };
    posts.set(c.id, c.post);
  }
  for (const [i, c] of parsed.data.comments.entries()) {
    if (c.parentId === null) continue;
    if (!posts.has(c.parentId)) return { ok: false, error: `comments[${i}].parentId: no comment with id ${c.parentId} in the file` };
    if (posts.get(c.parentId) !== c.post) return { ok: false, error: `comments[${i}].parentId: comment ${c.parentId} is on another post` };
  }
  return { ok: true, value: parsed.data };
}
