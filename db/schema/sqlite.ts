import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { LoggedAction } from '../../src/domain/comments/moderation';
import type { CommentStatus } from '../../src/domain/comments/types';

/**
 * Drizzle tables. SQL names are snake_case; TypeScript properties camelCase.
 * Times are stored as integer milliseconds since the epoch.
 */

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Slug of the post (the Markdown file name). Posts live in files, not in this database. */
    postSlug: text('post_slug').notNull(),
    parentId: integer('parent_id').references((): any => comments.id, { onDelete: 'set null' }),
    /** 'pending' | 'approved' | 'spam' | 'trash' (see src/domain/comments/types.ts). */
    status: text('status').$type<CommentStatus>().notNull(),
    /** What the comment was before spam/trash, so Restore can bring it back. */
    previousStatus: text('previous_status').$type<CommentStatus>(),
    authorName: text('author_name').notNull(),
    /** Never leaves the server except to moderators and the commenter's own export. */
    authorEmail: text('author_email').notNull(),
    authorUrl: text('author_url'),
    /** The text as typed (trimmed). Never output with set:html. */
    bodySource: text('body_source').notNull(),
    /** Sanitised rendering of bodySource; the only comment HTML ever output. */
    bodyHtml: text('body_html').notNull(),
    /** Set when a moderator wrote this reply from the admin: shown as "from the site". */
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'set null' }),
    /** Keyed hash of the client address (flood control); never the address itself. */
    clientHash: text('client_hash'),
    /** Why the spam guard chose the initial status (e.g. 'honeypot', 'known-author'). */
    decisionReason: text('decision_reason'),
    /** Set when the commenter's personal data was erased (GDPR); shows "comment removed". */
    erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
    /** Where an imported comment came from (e.g. `wordpress:123`), so a re-import skips it. */
    importKey: text('import_key'),
    /** The learning filter's P(spam) when the comment arrived; null when it could not score yet. */
    spamScore: real('spam_score'),
    /** JSON `[{ token, weight }]`: the tokens that drove `spamScore`, shown to moderators. */
    spamEvidence: text('spam_evidence'),
    /** What this comment currently counts as in the filter ('ham' | 'spam'), so a decision can move it. */
    spamTrainedAs: text('spam_trained_as').$type<'ham' | 'spam'>(),
    /** Set when the commenter last changed their own comment (shown to moderators as "edited"). */
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    /** Set while a moderator has pinned this (approved, top-level) comment: it shows first in its thread. */
    pinnedAt: integer('pinned_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('comments_import_key').on(t.importKey),
    index('comments_post_status_created').on(t.postSlug, t.status, t.createdAt),
    index('comments_status_created').on(t.status, t.createdAt),
    index('comments_parent').on(t.parentId),
    index('comments_email').on(sql`lower(${t.authorEmail})`),
    index('comments_client_created').on(t.clientHash, t.createdAt),
  ],
);

export const moderators = sqliteTable(
  'moderators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** scrypt hash in PHC-like format (see src/services/auth/password.ts). */
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('moderators_email').on(sql`lower(${t.email})`)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the session token; the token itself is only in the moderator's cookie. */
    id: text('id').primaryKey(),
    moderatorId: integer('moderator_id')
      .notNull()
      .references(() => moderators.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_moderator').on(t.moderatorId)],
);

/** Failed login attempts per key (client hash or email), for throttling. */
export const loginAttempts = sqliteTable('login_attempts', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstFailureAt: integer('first_failure_at', { mode: 'timestamp_ms' }).notNull(),
  lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
});

/** Every moderation action: who, what, when. */
export const moderationLog = sqliteTable(
  'moderation_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null when the action came from the command line (e.g. erase). */
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'set null' }),
    /** Kept as text so the log survives the moderator's removal. */
    moderatorName: text('moderator_name').notNull(),
    action: text('action').$type<LoggedAction>().notNull(),
    commentId: integer('comment_id'),
    detail: text('detail'),
    /** How the action was taken when not on the admin pages: 'mail-link' (a link in a notification mail). */
    via: text('via'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('moderation_log_created').on(t.createdAt)],
);

/** Key/value settings stored as JSON: moderation rules, the generated secret. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Notification mails waiting to be sent; retried until they go out. */
export const outgoingMail = sqliteTable(
  'outgoing_mail',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    /** An HTML alternative to the text (reply notifications); null: text only. */
    htmlBody: text('html_body'),
    /** Extra headers as a JSON object (e.g. List-Unsubscribe); null: none. */
    headers: text('headers'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('outgoing_mail_due').on(t.sentAt, t.nextAttemptAt)],
);

/**
 * Form tokens that have carried a stored comment: each served form may post one comment, so a
 * bot cannot reuse one token for many. Rows expire with the token (24 h) and are pruned.
 */
export const spentFormTokens = sqliteTable(
  'spent_form_tokens',
  {
    /** The token's random nonce (not secret: it is in the served form). */
    nonce: text('nonce').primaryKey(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('spent_form_tokens_expires').on(t.expiresAt)],
);

/**
 * Change stamps for what anonymous readers see, one row per scope: `post:<slug>` (a post's page),
 * `listing` (index, tag pages: they show comment counts) and `site` (everything, e.g. the rules).
 * Bumped in the same transaction as the visible change, so every process and every later
 * instance sees it on its next request; cached pages are valid while their stamp is unchanged.
 */
export const pageStamps = sqliteTable('page_stamps', {
  scope: text('scope').primaryKey(),
  version: integer('version').notNull(),
});

/**
 * The learning spam filter's counts (src/domain/comments/spam-filter.ts): how often each token
 * occurred in comments learned as ham and as spam. One row per token with both counts, so
 * scoring a comment is one primary-key lookup of its tokens; rows at zero/zero are deleted.
 */
export const spamFilterTokens = sqliteTable('spam_filter_tokens', {
  token: text('token').primaryKey(),
  ham: integer('ham').notNull(),
  spam: integer('spam').notNull(),
});

/** The filter's class totals: exactly one row (id 1), written with the token counts. */
export const spamFilterTotals = sqliteTable(
  'spam_filter_totals',
  {
    id: integer('id').primaryKey(),
    hamDocs: integer('ham_docs').notNull(),
    spamDocs: integer('spam_docs').notNull(),
    hamTokens: integer('ham_tokens').notNull(),
    spamTokens: integer('spam_tokens').notNull(),
    vocabulary: integer('vocabulary').notNull(),
  },
  (t) => [check('spam_filter_totals_single_row', sql`${t.id} = 1`)],
);

/**
 * Webhook deliveries waiting to be sent or kept as their delivery record (shown on the rules
 * page). Sent by the same delivery loop as `outgoing_mail`, with the same backoff.
 */
export const outgoingWebhooks = sqliteTable(
  'outgoing_webhooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    url: text('url').notNull(),
    /** 'comment.pending' | 'comment.published' (src/domain/webhooks/webhooks.ts). */
    event: text('event').notNull(),
    commentId: integer('comment_id'),
    /** The JSON payload without the per-attempt `deliveryId` and `timestamp`. */
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    /** The receiver's HTTP status on the last attempt (null: no answer). */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('outgoing_webhooks_due').on(t.deliveredAt, t.nextAttemptAt), index('outgoing_webhooks_created').on(t.createdAt)],
);

/**
 * "Notify me of replies by email", one row per comment whose author ticked it. Nothing is mailed
 * to `email` about replies until `confirmedAt` is set (double opt-in); `unsubscribedAt` ends it.
 * Deleted with the comment and by `npm run commenter -- erase`.
 */
export const replySubscriptions = sqliteTable(
  'reply_subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    /** The address as typed on the comment (kept here so a later edit of the comment cannot redirect the mail). */
    email: text('email').notNull(),
    /** When the confirmation link was used (or the browser already proved this address). */
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    unsubscribedAt: integer('unsubscribed_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('reply_subscriptions_comment').on(t.commentId), index('reply_subscriptions_email').on(sql`lower(${t.email})`)],
);

/**
 * Replies whose notification has been queued: each approved reply mails its parent's subscriber
 * once, even if it is unapproved and approved again, and even with several instances sweeping.
 */
export const replyNotices = sqliteTable('reply_notices', {
  replyId: integer('reply_id')
    .primaryKey()
    .references(() => comments.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Moderation links from notification mails that have been used: each link (signed, see
 * src/server/tokens.ts) works once. The nonce is the primary key, so recording a use is the
 * atomic check: a second use of the same link finds the row and changes nothing. Rows are kept
 * until the link would have expired anyway.
 */
export const mailLinkUses = sqliteTable(
  'mail_link_uses',
  {
    /** The link's random nonce (part of the signed token). */
    nonce: text('nonce').primaryKey(),
    commentId: integer('comment_id').notNull(),
    /** 'approve' | 'spam' | 'trash'. */
    action: text('action').notNull(),
    /** The moderator the mail was sent to (kept as a number: the log keeps the name). */
    moderatorId: integer('moderator_id').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('mail_link_uses_used').on(t.usedAt)],
);

/**
 * Authors whose future comments go straight to spam ("Block author" on a comment). A new comment
 * matches by email (stored lowercased, compared case-insensitively) or by the keyed hash of its
 * client address; either may be missing (an imported comment has no client hash).
 */
export const blockedAuthors = sqliteTable(
  'blocked_authors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lowercased. Never leaves the server except to moderators. */
    email: text('email'),
    /** Keyed hash of the client address of the comment the block was made from. */
    clientHash: text('client_hash'),
    /** The name on that comment, to recognise the entry in the list. */
    authorName: text('author_name').notNull(),
    /** The comment the block was made from (may be deleted since). */
    commentId: integer('comment_id'),
    moderatorName: text('moderator_name').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('blocked_authors_email').on(t.email), index('blocked_authors_client').on(t.clientHash)],
);
