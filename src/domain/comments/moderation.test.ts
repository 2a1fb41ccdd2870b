import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyModerationAction, actionsFor, MODERATION_ACTIONS, type ModerationAction, type Transition } from './moderation';
import { COMMENT_STATUSES, type CommentStatus } from './types';

const set = (status: CommentStatus, previousStatus: CommentStatus | null = null): Transition => ({
  kind: 'set',
  status,
  previousStatus,
});
const DEL: Transition = { kind: 'delete' };
const NO: Transition = { kind: 'invalid' };

/** The full table for a comment with no previous status. Every status × action is listed. */
const TABLE: Record<CommentStatus, Record<ModerationAction, Transition>> = {
  pending: {
    approve: set('approved'),
    unapprove: NO,
    spam: set('spam', 'pending'),
    trash: set('trash', 'pending'),
    restore: NO,
    delete: DEL,
  },
  approved: {
    approve: NO,
    unapprove: set('pending'),
    spam: set('spam', 'approved'),
    trash: set('trash', 'approved'),
    restore: NO,
    delete: DEL,
  },
  spam: {
    approve: set('approved'),
    unapprove: NO,
    spam: NO,
    trash: set('trash', 'spam'),
    restore: set('pending'), // "not spam" with no remembered status → back to the queue
    delete: DEL,
  },
  trash: {
    approve: NO,
    unapprove: NO,
    spam: NO,
    trash: NO,
    restore: set('pending'),
    delete: DEL,
  },
};

describe('applyModerationAction: every status × action', () => {
  for (const status of COMMENT_STATUSES) {
    for (const action of MODERATION_ACTIONS) {
      test(`${status} + ${action}`, () => {
        assert.deepEqual(applyModerationAction({ status, previousStatus: null }, action), TABLE[status][action]);
      });
    }
  }

  test('the table covers every status and action', () => {
    assert.deepEqual(Object.keys(TABLE).sort(), [...COMMENT_STATUSES].sort());
    for (const row of Object.values(TABLE)) assert.deepEqual(Object.keys(row).sort(), [...MODERATION_ACTIONS].sort());
  });
});

describe('restore brings a comment back to where it was (WordPress behaviour)', () => {
  for (const from of ['spam', 'trash'] as const) {
    test(`${from}: restore → previous approved/pending, anything else → pending`, () => {
      assert.deepEqual(applyModerationAction({ status: from, previousStatus: 'approved' }, 'restore'), set('approved'));
      assert.deepEqual(applyModerationAction({ status: from, previousStatus: 'pending' }, 'restore'), set('pending'));
      assert.deepEqual(applyModerationAction({ status: from, previousStatus: 'spam' }, 'restore'), set('pending'));
      assert.deepEqual(applyModerationAction({ status: from, previousStatus: 'trash' }, 'restore'), set('pending'));
    });
  }

  test('round trips: approved → trash → restore is public again; approved → spam → not spam is public again', () => {
    const trashed = applyModerationAction({ status: 'approved', previousStatus: null }, 'trash');
    assert.equal(trashed.kind, 'set');
    if (trashed.kind !== 'set') return;
    assert.deepEqual(applyModerationAction(trashed, 'restore'), set('approved'));

    const spammed = applyModerationAction({ status: 'approved', previousStatus: null }, 'spam');
    if (spammed.kind !== 'set') return assert.fail('spam should be allowed');
    assert.deepEqual(applyModerationAction(spammed, 'restore'), set('approved'));
  });

  test('spam → trash → restore goes to the queue, not straight back to public', () => {
    const spammed = applyModerationAction({ status: 'approved', previousStatus: null }, 'spam');
    if (spammed.kind !== 'set') return assert.fail();
    const trashed = applyModerationAction(spammed, 'trash');
    assert.deepEqual(trashed, set('trash', 'spam'));
    if (trashed.kind !== 'set') return assert.fail();
    assert.deepEqual(applyModerationAction(trashed, 'restore'), set('pending'));
  });

  test('a stale previousStatus does not change which actions are valid', () => {
    assert.deepEqual(applyModerationAction({ status: 'approved', previousStatus: 'spam' }, 'restore'), NO);
    assert.deepEqual(applyModerationAction({ status: 'pending', previousStatus: 'trash' }, 'approve'), set('approved'));
  });
});

describe('forged input', () => {
  test('unknown action or status is invalid, never a crash', () => {
    assert.deepEqual(applyModerationAction({ status: 'pending', previousStatus: null }, 'nuke' as ModerationAction), NO);
    assert.deepEqual(applyModerationAction({ status: 'weird' as CommentStatus, previousStatus: null }, 'delete'), NO);
    assert.deepEqual(applyModerationAction({ status: 'weird' as CommentStatus, previousStatus: null }, 'restore'), NO);
  });
});

describe('actionsFor: buttons shown on a row', () => {
  test('matches the transition table', () => {
    assert.deepEqual(actionsFor('pending'), ['approve', 'spam', 'trash', 'delete']);
    assert.deepEqual(actionsFor('approved'), ['unapprove', 'spam', 'trash', 'delete']);
    assert.deepEqual(actionsFor('spam'), ['approve', 'trash', 'restore', 'delete']);
    assert.deepEqual(actionsFor('trash'), ['restore', 'delete']);
  });

  test('every button shown performs a real change, every hidden one would be rejected', () => {
    for (const status of COMMENT_STATUSES) {
      const shown = new Set(actionsFor(status));
      for (const action of MODERATION_ACTIONS) {
        const t = applyModerationAction({ status, previousStatus: null }, action);
        assert.equal(shown.has(action), t.kind !== 'invalid', `${status}/${action}`);
        if (t.kind === 'set') assert.notEqual(t.status, status, `${status}/${action} must change the status`);
      }
    }
  });
});
