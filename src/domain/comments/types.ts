/**
 * Shared comment types for the pure comment domain.
 * No runtime dependencies: safe to import from server code, scripts and tests.
 */

/**
 * Lifecycle status of a stored comment.
 * - `pending`: waiting for a moderator, invisible to the public.
 * - `approved`: public.
 * - `spam`: caught by a spam guard or marked by a moderator; kept so Restore ("not spam") is possible.
 * - `trash`: removed by a moderator; kept so Restore is possible until it is deleted for good.
 */
export type CommentStatus = 'pending' | 'approved' | 'spam' | 'trash';

/** Every status, in the order the moderation screen lists its tabs. */
export const COMMENT_STATUSES: readonly CommentStatus[] = Object.freeze([
  'pending',
  'approved',
  'spam',
  'trash',
] as const);

/** A comment as the thread needs it (already filtered to what the viewer may see). */
export interface ThreadComment {
  /** Stable identity; replies point at it through `parentId`. */
  id: number;
  /** The comment this one replies to, or `null` for a top-level comment. */
  parentId: number | null;
  /** Used for chronological ordering of roots and of replies. */
  createdAt: Date;
}

/** A comment as the public thread shows it: no email, no client hash, nothing private. */
export interface PublicComment {
  id: number;
  parentId: number | null;
  authorName: string;
  authorUrl: string | null;
  bodyHtml: string;
  createdAt: Date;
  fromSite: boolean;
  /** Only the viewer's own comment can be pending here. */
  pending: boolean;
  /** Trashed, spammed or erased but with visible replies: shown as "comment removed". */
  removed: boolean;
  /** Its author changed it after posting (shown as "edited"). */
  edited?: boolean;
  /** When a moderator pinned it (shown first, marked "Pinned"); null when not pinned. */
  pinnedAt: Date | null;
  /** The avatar's hue, from a keyed hash of the email (never the email or a plain hash of it); absent for removed comments. */
  avatarHue?: number;
}
