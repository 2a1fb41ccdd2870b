import type { Db } from '../../db/client';
import { findComment, type CommentRow } from '../../db/queries/comments';
import { listModerationLog, type ModerationLogRow } from '../../db/queries/moderation-log';

export interface CommentDetail {
  comment: CommentRow;
  parent: CommentRow | undefined;
  history: ModerationLogRow[];
}

/** A comment with the one it answers and what moderators did to it, for the edit/reply page. */
export async function loadCommentDetail(db: Db, id: number): Promise<CommentDetail | null> {
  const comment = await findComment(db, id);
  if (!comment) return null;
  return {
    comment,
    parent: comment.parentId === null ? undefined : await findComment(db, comment.parentId),
    history: await listModerationLog(db, { commentId: id, limit: 20 }),
  };
}
