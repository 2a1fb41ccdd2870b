import type { Db } from '../../db/client';
import {
  countApprovedByPost,
  findComment,
  findDuplicateComment,
  hasUnpublishedAmong,
  insertComment,
  isApprovedAuthorAmong,
  lastCommentTimeFromClient,
  listOwnThreadRows,
  listThreadRows,
  type CommentRow,
} from '../../db/queries/comments';
import { isAuthorBlockedIn } from '../../db/queries/author-blocks';
import { spendFormToken } from '../../db/queries/form-tokens';
import { learnNewCommentIn } from '../../db/queries/spam-filter';
import { isConfirmedKnownAuthorIn } from '../../db/queries/reply-subscriptions';
import { bumpPostStamps } from '../../db/queries/page-stamps';
import { listModerators } from '../../db/queries/moderators';
import { claimsModeratorIdentity } from '../domain/comments/identity';
import type { MessageKey } from '../domain/comments/messages';
import { decideNewCommentStatus, GUARD_SPAM_REASONS, isClosedForComments, isReasonAmong, type ModerationRules, type NewCommentFacts } from '../domain/comments/rules';
import { pinnedFirst } from '../domain/comments/pinning';
import { acceptsReplies, showsReplyLink } from '../domain/comments/replies';
import { avatarHue } from '../domain/comments/avatar';
import { buildCommentTree, selectVisibleComments, type CommentNode } from '../domain/comments/threading';
import type { CommentStatus, PublicComment } from '../domain/comments/types';

export type { CommentRow, PublicComment };
import { validateCommentInput, type CommentField, type CommentInput } from '../domain/comments/validation';
import type { PostSummary } from '../domain/posts/posts';
import { SPAM_TRAINER } from '../domain/comments/spam-filter';
import { countLinks, renderCommentBody } from '../render/comment-body';
import type { Config } from './config';
import { getModerationRules } from './moderation-rules';
import type { Mailer } from './mailer';
import { notifyModeratorsOfPendingComment } from './notifications';
import { assessNewCommentIn, serializeSpamEvidence } from './spam-filter';
import { checkFormToken, keyedHash } from './tokens';
import { queueCommentWebhooks } from './webhooks';


export interface CommentSection {
  tree: CommentNode<PublicComment>[];
  approvedCount: number;
  closed: boolean;
  /** The approved comment named by ?replyto=, when it is valid for this post. */
  replyTarget: { id: number; authorName: string } | null;
}

/** Avatar hues by secret and address: a thread shows the same few authors again and again, and each hue costs an HMAC. */
const knownHues = new Map<string, number>();

function avatarHueOf(secret: string, email: string): number {
  const key = `${secret}\n${email}`;
  let hue = knownHues.get(key);
  if (hue === undefined) {
    if (knownHues.size >= 10_000) knownHues.clear();
    hue = avatarHue(keyedHash(secret, 'avatar', email.trim().toLowerCase()));
    knownHues.set(key, hue);
  }
  return hue;
}

function toPublic(row: CommentRow & { placeholder: boolean }, avatarSecret: string | undefined): PublicComment {
  const removed = row.placeholder || row.erasedAt !== null;
  return {
    avatarHue: removed || avatarSecret === undefined ? undefined : avatarHueOf(avatarSecret, row.authorEmail),
    id: row.id,
    parentId: row.parentId,
    authorName: removed ? '' : row.authorName,
    authorUrl: removed ? null : row.authorUrl,
    bodyHtml: removed ? '' : row.bodyHtml,
    createdAt: row.createdAt,
    fromSite: !removed && row.moderatorId !== null,
    pending: row.status === 'pending',
    removed,
    edited: !removed && row.editedAt !== null,
    // Only a published comment leads the thread (a placeholder keeps its place).
    pinnedAt: !removed && row.status === 'approved' ? row.pinnedAt : null,
  };
}

/**
 * What the rules judge about a comment's text and author, the same for a new comment and an
 * edit: its fields and links, whether this browser proved the author (an approved comment it
 * wrote under this address, or an address it confirmed from a reply-notification mail), whether
 * it claims a moderator's identity, and the learning filter's score (`spam`, also stored).
 */
export async function contentFacts(db: Db, input: CommentInput, bodyHtml: string, ownCommentIds: readonly number[], rules: ModerationRules) {
  const spam = await assessNewCommentIn(db, { body: input.body, name: input.name, email: input.email, website: input.website }, rules.spamMinDecisions);
  const facts = {
    name: input.name,
    email: input.email,
    website: input.website,
    body: input.body,
    linkCount: countLinks(bodyHtml),
    authorProven: (await isApprovedAuthorAmong(db, ownCommentIds, input.email)) || (await isConfirmedKnownAuthorIn(db, ownCommentIds, input.email)),
    claimsModeratorIdentity: claimsModeratorIdentity(input, await listModerators(db)),
    spamScore: spam.score?.probability ?? null,
    spamFilterTrained: spam.trained,
  } satisfies Partial<NewCommentFacts>;
  return { facts, spam };
}

/** Approved-comment count per post slug, for listings (posts without comments are absent). */
export async function approvedCommentCounts(db: Db): Promise<Map<string, number>> {
  return countApprovedByPost(db);
}

/**
 * The rows a post's thread is built from (approved comments, parents of others as placeholders,
 * and the viewer's own pending ones); the page views keep and reuse them.
 */
export async function loadThreadRows(db: Db, slug: string, viewerPendingIds: readonly number[]): Promise<CommentRow[]> {
  return listThreadRows(db, slug, viewerPendingIds);
}

/** Only these comments of the viewer's (from their cookie) on this post, for their personal thread. */
export async function loadOwnThreadRows(db: Db, slug: string, ids: readonly number[]): Promise<CommentRow[]> {
  return listOwnThreadRows(db, slug, ids);
}

/** Whether one of these comments of the viewer's is still unpublished on this post (the thread then differs from everyone's). */
export async function hasUnpublishedOwnComments(db: Db, slug: string, viewerPendingIds: readonly number[]): Promise<boolean> {
  return hasUnpublishedAmong(db, slug, viewerPendingIds);
}

/** The post a comment belongs to, whatever its status (`locateInThread` decides what a viewer may see). */
export async function commentPostSlug(db: Db, id: number): Promise<string | null> {
  return (await findComment(db, id))?.postSlug ?? null;
}

/** The visible thread of a post for a viewer whose own pending comment ids are known. */
export async function loadCommentSection(db: Db, post: PostSummary, viewerPendingIds: readonly number[], replyTo: number | null, now: Date, avatarSecret?: string): Promise<CommentSection> {
  return commentSectionFromRows(await listThreadRows(db, post.slug, viewerPendingIds), viewerPendingIds, await getModerationRules(db), post, replyTo, now, avatarSecret);
}

/** `loadCommentSection` for rows already loaded: what `listThreadRows` returns for these viewer ids. */
export function commentSectionFromRows(
  rows: readonly CommentRow[],
  viewerPendingIds: readonly number[],
  rules: ModerationRules,
  post: PostSummary,
  replyTo: number | null,
  now: Date,
  /** The site's secret: with it, each comment carries its avatar's colour. */
  avatarSecret?: string,
): CommentSection {
  const own = new Set(viewerPendingIds);
  // The spam guard's verdict is for moderators: to its author, a comment held as spam by the
  // guard is simply awaiting review (a wrongly flagged reader sees their comment like any other).
  const asTheViewerSeesIt = rows.map((row) =>
    own.has(row.id) && row.status === 'spam' && row.previousStatus === null && isReasonAmong(GUARD_SPAM_REASONS, row.decisionReason) ? { ...row, status: 'pending' as const } : row,
  );
  const visible = selectVisibleComments(asTheViewerSeesIt, { alsoVisibleIds: own }).map((row) => toPublic(row, avatarSecret));
  const target = replyTo === null ? undefined : visible.find((c) => c.id === replyTo && showsReplyLink(c));
  return {
    tree: pinnedFirst(buildCommentTree(visible, rules.maxDepth)),
    // The thread rows include every approved comment of the post, so the count needs no query.
    approvedCount: rows.filter((row) => row.status === 'approved').length,
    closed: isClosedForComments(post, rules, now),
    replyTarget: target ? { id: target.id, authorName: target.authorName } : null,
  };
}

/**
 * What the comment form needs without the thread (a refused submission's page): whether the
 * post is closed and whom the reply answers, from one lookup instead of the whole thread.
 */
export async function loadReplyContext(db: Db, post: PostSummary, replyTo: number | null, now: Date): Promise<Omit<CommentSection, 'tree'>> {
  const parent = replyTo === null ? undefined : await findComment(db, replyTo);
  const valid = parent && acceptsReplies(parent, post.slug);
  return {
    approvedCount: 0,
    closed: isClosedForComments(post, await getModerationRules(db), now),
    replyTarget: valid ? { id: parent.id, authorName: parent.authorName } : null,
  };
}

/** Why a comment was not stored although its fields were valid; a flooding client learns when to retry. */
export type CommentRefusal =
  | { reason: 'closed' | 'expired' | 'used' | 'parentNotFound' | 'duplicate' }
  | { reason: 'flood'; retryAfterSeconds: number };

export type SubmitOutcome =
  | { kind: 'stored'; id: number; status: CommentStatus; input: CommentInput }
  | { kind: 'invalid'; errors: Partial<Record<CommentField, MessageKey>> }
  | ({ kind: 'refused' } & CommentRefusal);

export interface Submission {
  post: PostSummary;
  /** The raw form fields, untrusted. */
  fields: Record<string, unknown>;
  clientAddress: string;
  /** Comments this browser wrote (its signed cookie): proof of authorship, never trusted beyond that. */
  ownCommentIds: readonly number[];
  secret: string;
  now: Date;
  /** Sends the moderators' notice about a comment held for review. */
  mailer: Pick<Mailer, 'deliver'>;
  /** The operator's spam timings and the origin for links in notifications. */
  settings: Pick<Config, 'COMMENT_FLOOD_SECONDS' | 'COMMENT_MIN_SECONDS' | 'SITE_URL'>;
}

/** Seconds this client must still wait before commenting again (0: it may comment now). */
async function floodWaitSeconds(db: Db, clientHash: string, now: Date, floodSeconds: number): Promise<number> {
  if (floodSeconds <= 0) return 0;
  const last = await lastCommentTimeFromClient(db, clientHash);
  const waited = last ? (now.getTime() - last.getTime()) / 1000 : Infinity;
  return waited < floodSeconds ? Math.ceil(floodSeconds - waited) : 0;
}

/**
 * Validates, screens and stores a comment. Checks run cheapest first (a flooding client is
 * refused after one indexed lookup, before anything is parsed or rendered). Every refusal
 * leaves the database untouched; the checks that depend on earlier rows (flood, duplicate,
 * the form token's single use) run in the same transaction as the insert, so two racing
 * submissions cannot both pass them. Nothing in the answer depends on whether the typed
 * email has commented before: only this browser's own proof counts.
 */
export async function submitComment(db: Db, { post, fields, clientAddress, ownCommentIds, secret, now, mailer, settings: config }: Submission): Promise<SubmitOutcome> {
  const rules = await getModerationRules(db);
  if (isClosedForComments(post, rules, now)) return { kind: 'refused', reason: 'closed' };
  const clientHash = keyedHash(secret, 'client', clientAddress);
  const wait = await floodWaitSeconds(db, clientHash, now, config.COMMENT_FLOOD_SECONDS);
  if (wait > 0) return { kind: 'refused', reason: 'flood', retryAfterSeconds: wait };

  const validation = validateCommentInput(fields);
  if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
  const input = validation.value;

  const token = checkFormToken(secret, post.slug, fields.token, now);
  if (token.state === 'expired') return { kind: 'refused', reason: 'expired' };

  const bodyHtml = renderCommentBody(input.body);
  const honeypot = fields.homepage;

  const outcome = await db.transaction(async (tx): Promise<SubmitOutcome> => {
    if (input.parentId !== null) {
      const parent = await findComment(tx, input.parentId);
      if (!parent || !acceptsReplies(parent, post.slug)) {
        return { kind: 'refused', reason: 'parentNotFound' };
      }
    }
    // Again inside the transaction: a racing submission from the same client may have landed.
    const racedWait = await floodWaitSeconds(tx, clientHash, now, config.COMMENT_FLOOD_SECONDS);
    if (racedWait > 0) return { kind: 'refused', reason: 'flood', retryAfterSeconds: racedWait };
    if (await findDuplicateComment(tx, post.slug, input.body, { clientHash, ownCommentIds })) return { kind: 'refused', reason: 'duplicate' };
    if (token.state === 'valid' && !(await spendFormToken(tx, token.nonce, token.expiresAt, now))) return { kind: 'refused', reason: 'used' };

    const content = await contentFacts(tx, input, bodyHtml, ownCommentIds, rules);
    const decision = decideNewCommentStatus(
      {
        ...content.facts,
        honeypotFilled: typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot != null,
        authorBlocked: await isAuthorBlockedIn(tx, input.email, clientHash),
        formToken: token.state,
        secondsSinceFormServed: token.state === 'valid' ? token.ageSeconds : null,
        minSecondsToSubmit: config.COMMENT_MIN_SECONDS,
      },
      rules,
    );
    const spam = content.spam;
    const id = await insertComment(tx, {
      postSlug: post.slug,
      parentId: input.parentId,
      status: decision.status,
      authorName: input.name,
      authorEmail: input.email,
      authorUrl: input.website,
      bodySource: input.body,
      bodyHtml,
      clientHash,
      decisionReason: decision.reason,
      spamScore: spam.score?.probability ?? null,
      spamEvidence: serializeSpamEvidence(spam.score),
      createdAt: now,
      updatedAt: now,
    });
    // An auto-approved comment is a decision too (by the rules the moderators set): it teaches ham.
    await learnNewCommentIn(tx, SPAM_TRAINER, { id, status: decision.status, previousStatus: null, decisionReason: decision.reason, spamTrainedAs: null, authorName: input.name, authorEmail: input.email, authorUrl: input.website, bodySource: input.body });
    if (decision.status === 'approved') await bumpPostStamps(tx, [post.slug]);
    return { kind: 'stored', id, status: decision.status, input };
  });

  if (outcome.kind === 'stored' && outcome.status !== 'spam') {
    const site = { origin: config.SITE_URL, postTitle: (slug: string) => (slug === post.slug ? post.title : undefined) };
    void queueCommentWebhooks(db, mailer, outcome.status === 'pending' ? 'comment.pending' : 'comment.published', [outcome.id], site, now);
  }
  if (outcome.kind === 'stored' && outcome.status === 'pending') {
    await notifyModeratorsOfPendingComment(
      db,
      mailer,
      { id: outcome.id, authorName: input.name, authorEmail: input.email, authorUrl: input.website, bodySource: input.body },
      post,
      config.SITE_URL,
      now,
      secret,
    );
  }
  return outcome;
}
