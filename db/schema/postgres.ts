import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { LoggedAction } from '../../src/domain/comments/moderation';
import type { CommentStatus } from '../../src/domain/comments/types';

/**
 * The same tables as ./sqlite.ts for PostgreSQL (DATABASE_URL=postgres://…): one column per
 * column, same names and nullability (schema.test.ts compares them). Times are `timestamptz`
 * with millisecond precision, ids identity columns that accept explicit values (imports and
 * `npm run db:copy` keep ids). Change both files together, then `npm run db:generate`.
 */

export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
    erasedAt: timestamp('erased_at', { mode: 'date', precision: 3, withTimezone: true }),
    /** Where an imported comment came from (e.g. `wordpress:123`), so a re-import skips it. */
    importKey: text('import_key'),
    /** The learning filter's P(spam) when the comment arrived; null when it could not score yet. */
    spamScore: doublePrecision('spam_score'),
    /** JSON `[{ token, weight }]`: the tokens that drove `spamScore`, shown to moderators. */
    spamEvidence: text('spam_evidence'),
    /** What this comment currently counts as in the filter ('ham' | 'spam'), so a decision can move it. */
    spamTrainedAs: text('spam_trained_as').$type<'ham' | 'spam'>(),
    /** Set when the commenter last changed their own comment (shown to moderators as "edited"). */
    editedAt: timestamp('edited_at', { mode: 'date', precision: 3, withTimezone: true }),
    /** Set while a moderator has pinned this (approved, top-level) comment: it shows first in its thread. */
    pinnedAt: timestamp('pinned_at', { mode: 'date', precision: 3, withTimezone: true }),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
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

export const moderators = pgTable(
  'moderators',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** scrypt hash in PHC-like format (see src/services/auth/password.ts). */
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('moderators_email').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session token; the token itself is only in the moderator's cookie. */
    id: text('id').primaryKey(),
    moderatorId: integer('moderator_id')
      .notNull()
      .references(() => moderators.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_moderator').on(t.moderatorId)],
);

/** Failed login attempts per key (client hash or email), for throttling. */
export const loginAttempts = pgTable('login_attempts', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstFailureAt: timestamp('first_failure_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { mode: 'date', precision: 3, withTimezone: true }),
});

/** Every moderation action: who, what, when. */
export const moderationLog = pgTable(
  'moderation_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Null when the action came from the command line (e.g. erase). */
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'set null' }),
    /** Kept as text so the log survives the moderator's removal. */
    moderatorName: text('moderator_name').notNull(),
    action: text('action').$type<LoggedAction>().notNull(),
    commentId: integer('comment_id'),
    detail: text('detail'),
    /** How the action was taken when not on the admin pages: 'mail-link' (a link in a notification mail). */
    via: text('via'),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('moderation_log_created').on(t.createdAt)],
);

/** Key/value settings stored as JSON: moderation rules, the generated secret. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Notification mails waiting to be sent; retried until they go out. */
export const outgoingMail = pgTable(
  'outgoing_mail',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    /** An HTML alternative to the text (reply notifications); null: text only. */
    htmlBody: text('html_body'),
    /** Extra headers as a JSON object (e.g. List-Unsubscribe); null: none. */
    headers: text('headers'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { mode: 'date', precision: 3, withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('outgoing_mail_due').on(t.sentAt, t.nextAttemptAt)],
);

/**
 * Form tokens that have carried a stored comment: each served form may post one comment, so a
 * bot cannot reuse one token for many. Rows expire with the token (24 h) and are pruned.
 */
export const spentFormTokens = pgTable(
  'spent_form_tokens',
  {
    /** The token's random nonce (not secret: it is in the served form). */
    nonce: text('nonce').primaryKey(),
    expiresAt: timestamp('expires_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('spent_form_tokens_expires').on(t.expiresAt)],
);

/**
 * Change stamps for what anonymous readers see, one row per scope: `post:<slug>` (a post's page),
 * `listing` (index, tag pages: they show comment counts) and `site` (everything, e.g. the rules).
 * Bumped in the same transaction as the visible change, so every process and every later
 * instance sees it on its next request; cached pages are valid while their stamp is unchanged.
 */
export const pageStamps = pgTable('page_stamps', {
  scope: text('scope').primaryKey(),
  version: integer('version').notNull(),
});

/**
 * The learning spam filter's counts (src/domain/comments/spam-filter.ts): how often each token
 * occurred in comments learned as ham and as spam. One row per token with both counts, so
 * scoring a comment is one primary-key lookup of its tokens; rows at zero/zero are deleted.
 */
export const spamFilterTokens = pgTable('spam_filter_tokens', {
  token: text('token').primaryKey(),
  ham: integer('ham').notNull(),
  spam: integer('spam').notNull(),
});

/** The filter's class totals: exactly one row (id 1), written with the token counts. */
export const spamFilterTotals = pgTable(
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
export const outgoingWebhooks = pgTable(
  'outgoing_webhooks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    url: text('url').notNull(),
    /** 'comment.pending' | 'comment.published' (src/domain/webhooks/webhooks.ts). */
    event: text('event').notNull(),
    commentId: integer('comment_id'),
    /** The JSON payload without the per-attempt `deliveryId` and `timestamp`. */
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { mode: 'date', precision: 3, withTimezone: true }),
    /** The receiver's HTTP status on the last attempt (null: no answer). */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('outgoing_webhooks_due').on(t.deliveredAt, t.nextAttemptAt), index('outgoing_webhooks_created').on(t.createdAt)],
);

/**
 * "Notify me of replies by email", one row per comment whose author ticked it. Nothing is mailed
 * to `email` about replies until `confirmedAt` is set (double opt-in); `unsubscribedAt` ends it.
 * Deleted with the comment and by `npm run commenter -- erase`.
 */
export const replySubscriptions = pgTable(
  'reply_subscriptions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    /** The address as typed on the comment (kept here so a later edit of the comment cannot redirect the mail). */
    email: text('email').notNull(),
    /** When the confirmation link was used (or the browser already proved this address). */
    confirmedAt: timestamp('confirmed_at', { mode: 'date', precision: 3, withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { mode: 'date', precision: 3, withTimezone: true }),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('reply_subscriptions_comment').on(t.commentId), index('reply_subscriptions_email').on(sql`lower(${t.email})`)],
);

/**
 * Replies whose notification has been queued: each approved reply mails its parent's subscriber
 * once, even if it is unapproved and approved again, and even with several instances sweeping.
 */
export const replyNotices = pgTable('reply_notices', {
  replyId: integer('reply_id')
    .primaryKey()
    .references(() => comments.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
});

/**
 * Moderation links from notification mails that have been used: each link (signed, see
 * src/server/tokens.ts) works once. The nonce is the primary key, so recording a use is the
 * atomic check: a second use of the same link finds the row and changes nothing. Rows are kept
 * until the link would have expired anyway.
 */
export const mailLinkUses = pgTable(
  'mail_link_uses',
  {
    /** The link's random nonce (part of the signed token). */
    nonce: text('nonce').primaryKey(),
    commentId: integer('comment_id').notNull(),
    /** 'approve' | 'spam' | 'trash'. */
    action: text('action').notNull(),
    /** The moderator the mail was sent to (kept as a number: the log keeps the name). */
    moderatorId: integer('moderator_id').notNull(),
    usedAt: timestamp('used_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('mail_link_uses_used').on(t.usedAt)],
);

/**
 * Authors whose future comments go straight to spam ("Block author" on a comment). A new comment
 * matches by email (stored lowercased, compared case-insensitively) or by the keyed hash of its
 * client address; either may be missing (an imported comment has no client hash).
 */
export const blockedAuthors = pgTable(
  'blocked_authors',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Lowercased. Never leaves the server except to moderators. */
    email: text('email'),
    /** Keyed hash of the client address of the comment the block was made from. */
    clientHash: text('client_hash'),
    /** The name on that comment, to recognise the entry in the list. */
    authorName: text('author_name').notNull(),
    /** The comment the block was made from (may be deleted since). */
    commentId: integer('comment_id'),
    moderatorName: text('moderator_name').notNull(),
    createdAt: timestamp('created_at', { mode: 'date', precision: 3, withTimezone: true }).notNull(),
  },
  (t) => [index('blocked_authors_email').on(t.email), index('blocked_authors_client').on(t.clientHash)],
);
