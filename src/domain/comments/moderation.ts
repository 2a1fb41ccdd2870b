/**
 * Moderation as a pure state machine: given a comment's status and a moderator's action,
 * what happens. The admin UI uses `actionsFor` to show only buttons that will work, and
 * the server re-checks with `applyModerationAction` (never trust the button that was clicked).
 */
import type { CommentStatus } from './types';

export type ModerationAction = 'approve' | 'unapprove' | 'spam' | 'trash' | 'restore' | 'delete';

/** All actions, in the order buttons appear on a row. */
export const MODERATION_ACTIONS: readonly ModerationAction[] = Object.freeze([
  'approve',
  'unapprove',
  'spam',
  'trash',
  'restore',
  'delete',
] as const);

/** What the moderation log records: the actions above and the other changes to comments and rules. */
export type LoggedAction = ModerationAction | 'edit' | 'reply' | 'rules' | 'erase' | 'commenter-edit' | 'commenter-delete' | 'pin' | 'unpin' | 'block' | 'unblock';

export const LOGGED_ACTIONS: readonly LoggedAction[] = Object.freeze([...MODERATION_ACTIONS, 'edit', 'reply', 'rules', 'erase', 'commenter-edit', 'commenter-delete', 'pin', 'unpin', 'block', 'unblock'] as const);

/** The name the log records for actions taken with the operator commands (no moderator). */
export const COMMAND_LINE_ACTOR = 'command line';

/** The name the log records for what a commenter did to their own comment (no moderator). */
export const COMMENTER_ACTOR = 'commenter';

/**
 * Result of an action.
 * - `set`: store `status` and `previousStatus` (previousStatus is what a comment was before it went to spam/trash,
 *   so Restore can bring it back — WordPress behaviour; it is cleared (`null`) when leaving spam/trash).
 * - `delete`: remove the comment permanently.
 * - `invalid`: the action makes no sense for this status (stale page, double click, forged request): change nothing.
 */
export type Transition =
  | { kind: 'set'; status: CommentStatus; previousStatus: CommentStatus | null }
  | { kind: 'delete' }
  | { kind: 'invalid' };

const INVALID: Transition = Object.freeze({ kind: 'invalid' });

/** Where Restore leads: back to what it was if that was a live status, otherwise back to the queue for review. */
function restoreTarget(previous: CommentStatus | null): CommentStatus {
  return previous === 'approved' || previous === 'pending' ? previous : 'pending';
}

/**
 * Applies a moderator action to a comment's current state.
 * Table: pending → approve | spam | trash | delete; approved → unapprove | spam | trash | delete;
 * spam → restore ("not spam") | approve | trash | delete; trash → restore | delete. Anything else is `invalid`.
 * Moving spam → trash records `spam` as previousStatus, so restoring it from trash sends it to the queue (pending)
 * rather than straight back to public.
 */
export function applyModerationAction(
  current: { status: CommentStatus; previousStatus: CommentStatus | null },
  action: ModerationAction,
): Transition {
  const { status } = current;
  switch (action) {
    case 'approve':
      return status === 'pending' || status === 'spam'
        ? { kind: 'set', status: 'approved', previousStatus: null }
        : INVALID;
    case 'unapprove':
      return status === 'approved' ? { kind: 'set', status: 'pending', previousStatus: null } : INVALID;
    case 'spam':
      return status === 'pending' || status === 'approved'
        ? { kind: 'set', status: 'spam', previousStatus: status }
        : INVALID;
    case 'trash':
      return status === 'pending' || status === 'approved' || status === 'spam'
        ? { kind: 'set', status: 'trash', previousStatus: status }
        : INVALID;
    case 'restore':
      return status === 'spam' || status === 'trash'
        ? { kind: 'set', status: restoreTarget(current.previousStatus), previousStatus: null }
        : INVALID;
    case 'delete':
      // Permanent deletion is allowed from every (known) status, as in WordPress' "Delete Permanently".
      return isKnownStatus(status) ? { kind: 'delete' } : INVALID;
    default:
      return INVALID; // unknown action string from a forged request
  }
}

function isKnownStatus(status: unknown): status is CommentStatus {
  return status === 'pending' || status === 'approved' || status === 'spam' || status === 'trash';
}

/** Which action buttons to show for a comment row with this status (in `MODERATION_ACTIONS` order). */
export function actionsFor(status: CommentStatus): ModerationAction[] {
  // previousStatus never affects *whether* an action is valid, only where Restore leads.
  return MODERATION_ACTIONS.filter(
    (action) => applyModerationAction({ status, previousStatus: null }, action).kind !== 'invalid',
  );
}
