import type { Db } from '../../db/client';
import { findComment, listOwnCommentsOnPost, type CommentRow } from '../../db/queries/comments';
import { deleteOwnComment, storeOwnEdit } from '../../db/queries/own-comments';
import { listSubscriptionsOfComments } from '../../db/queries/reply-subscriptions';
import type { MessageKey } from '../domain/comments/messages';
import { mayChangeOwnComment, statusAfterEdit } from '../domain/comments/own-comment';
import { decideNewCommentStatus } from '../domain/comments/rules';
import type { CommentStatus } from '../domain/comments/types';
import { validateCommentInput, type CommentField } from '../domain/comments/validation';
import { renderCommentBody } from '../render/comment-body';
import { getModerationRules } from './moderation-rules';
import { contentFacts } from './comments';

/**
 * A commenter's own comment, changed from the browser that wrote it: the signed cookie's ids
 * prove authorship, COMMENT_EDIT_MINUTES bounds the time. Every check happens here, on the
 * server, whatever the page showed.
 */

/** What the caller knows about the request: this browser's own comment ids, the clock, the window. */
export interface OwnAccess {
  ownCommentIds: readonly number[];
  now: Date;
  editMinutes: number;
}

/** Why a commenter may not change a comment: another browser's, past COMMENT_EDIT_MINUTES, or no longer there. */
export type OwnRefusal = { reason: 'notYours' } | { reason: 'editWindowClosed' } | { reason: 'commentNotFound' };

export type OwnCommentLookup = { kind: 'ok'; comment: CommentRow } | { kind: 'refused'; refusal: OwnRefusal };

/** The comment when this browser wrote it and may still change it. */
export async function loadOwnComment(db: Db, id: number, access: OwnAccess): Promise<OwnCommentLookup> {
  if (!access.ownCommentIds.includes(id)) return { kind: 'refused', refusal: { reason: 'notYours' } };
  const comment = await findComment(db, id);
  if (!comment || comment.erasedAt || comment.status === 'trash') return { kind: 'refused', refusal: { reason: 'commentNotFound' } };
  if (!mayChangeOwnComment(comment, access.now, access.editMinutes)) return { kind: 'refused', refusal: { reason: 'editWindowClosed' } };
  return { kind: 'ok', comment };
}

export type EditOwnOutcome =
  | { kind: 'saved'; postSlug: string; status: CommentStatus }
  | { kind: 'invalid'; errors: Partial<Record<CommentField, MessageKey>> }
  | { kind: 'refused'; refusal: OwnRefusal };

/**
 * Saves the author's edit: validated and rendered like a new comment, then the moderation rules
 * run again on the new text (an edit adding links goes back to the queue; see `statusAfterEdit`).
 */
export async function editOwnComment(db: Db, id: number, fields: Record<string, unknown>, access: OwnAccess): Promise<EditOwnOutcome> {
  const found = await loadOwnComment(db, id, access);
  if (found.kind === 'refused') return found;
  const validation = validateCommentInput({ name: fields.name, email: fields.email, website: fields.website, comment: fields.comment });
  if (!validation.ok) {
    const { parentId: _ignored, ...errors } = validation.errors;
    return { kind: 'invalid', errors };
  }
  const input = validation.value;
  const bodyHtml = renderCommentBody(input.body);
  const rules = await getModerationRules(db);
  // The rules and the learning filter judge the new text like a new comment's.
  const { facts } = await contentFacts(db, input, bodyHtml, access.ownCommentIds, rules);
  const decision = decideNewCommentStatus(
    {
      ...facts,
      honeypotFilled: false,
      formToken: 'valid',
      secondsSinceFormServed: null,
      minSecondsToSubmit: 0,
    },
    rules,
  );
  const result = await storeOwnEdit(
    db,
    id,
    { authorName: input.name, authorEmail: input.email, authorUrl: input.website, bodySource: input.body, bodyHtml },
    (current) => {
      const status = statusAfterEdit(current.status, decision);
      const previousStatus = status === current.status ? current.previousStatus : status === 'spam' ? current.status : null;
      return { status, previousStatus, reason: decision.reason };
    },
    access.now,
  );
  if (result.kind === 'missing') return { kind: 'refused', refusal: { reason: 'commentNotFound' } };
  return { kind: 'saved', postSlug: result.postSlug, status: result.status };
}

export type DeleteOwnOutcome = { kind: 'deleted'; postSlug: string } | { kind: 'refused'; refusal: OwnRefusal };

/** Deletes the author's comment (a "comment removed" placeholder stays when it has published replies). */
export async function deleteOwn(db: Db, id: number, access: OwnAccess): Promise<DeleteOwnOutcome> {
  const found = await loadOwnComment(db, id, access);
  if (found.kind === 'refused') return found;
  const result = await deleteOwnComment(db, id, access.now);
  if (result.kind === 'missing') return { kind: 'refused', refusal: { reason: 'commentNotFound' } };
  return { kind: 'deleted', postSlug: result.postSlug };
}

/** What the author sees on each of their comments on a post: the Edit/Delete controls, the reply-notification note. */
export interface OwnCommentState {
  id: number;
  changeable: boolean;
  notify: 'pending' | 'active' | null;
}

export async function loadOwnCommentStates(db: Db, postSlug: string, access: OwnAccess): Promise<OwnCommentState[]> {
  const own = await listOwnCommentsOnPost(db, postSlug, access.ownCommentIds);
  if (!own.length) return [];
  const subscriptions = await listSubscriptionsOfComments(db, own.map((c) => c.id));
  return own.map((comment) => {
    const subscription = subscriptions.get(comment.id);
    const notify = !subscription || subscription.unsubscribedAt ? null : subscription.confirmedAt ? 'active' : 'pending';
    return { id: comment.id, changeable: mayChangeOwnComment(comment, access.now, access.editMinutes), notify };
  });
}
