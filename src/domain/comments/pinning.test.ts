import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canOfferPin, checkPin, MAX_PINNED_PER_POST, pinnedFirst } from './pinning.ts';
import { buildCommentTree } from './threading.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 12, minute));
const approvedRoot = { status: 'approved' as const, parentId: null, erasedAt: null };

describe('pinning', () => {
  test('only approved top-level comments may be pinned, a few per post', () => {
    assert.deepEqual(checkPin(approvedRoot, 0), { ok: true });
    assert.deepEqual(checkPin(approvedRoot, MAX_PINNED_PER_POST - 1), { ok: true });
    assert.deepEqual(checkPin(approvedRoot, MAX_PINNED_PER_POST), { ok: false, reason: 'tooMany' });
    for (const status of ['pending', 'spam', 'trash'] as const) assert.deepEqual(checkPin({ ...approvedRoot, status }, 0), { ok: false, reason: 'notApproved' });
    assert.deepEqual(checkPin({ ...approvedRoot, erasedAt: at(0) }, 0), { ok: false, reason: 'notApproved' });
    assert.deepEqual(checkPin({ ...approvedRoot, parentId: 7 }, 0), { ok: false, reason: 'notTopLevel' });
  });

  test('Pin is offered only where it would work, and not twice', () => {
    assert.equal(canOfferPin({ ...approvedRoot, pinnedAt: null }), true);
    assert.equal(canOfferPin({ ...approvedRoot, pinnedAt: at(1) }), false);
    assert.equal(canOfferPin({ ...approvedRoot, parentId: 3, pinnedAt: null }), false);
    assert.equal(canOfferPin({ ...approvedRoot, status: 'pending', pinnedAt: null }), false);
  });

  test('pinned comments lead the thread in the order they were pinned; the rest keep theirs, replies stay put', () => {
    const comments = [
      { id: 1, parentId: null, createdAt: at(1), pinnedAt: null },
      { id: 2, parentId: null, createdAt: at(2), pinnedAt: at(30) },
      { id: 3, parentId: 2, createdAt: at(3), pinnedAt: null },
      { id: 4, parentId: null, createdAt: at(4), pinnedAt: null },
      { id: 5, parentId: null, createdAt: at(5), pinnedAt: at(20) },
    ];
    const tree = pinnedFirst(buildCommentTree(comments, 5));
    assert.deepEqual(tree.map((n) => n.comment.id), [5, 2, 1, 4]);
    assert.deepEqual(tree[1].replies.map((n) => n.comment.id), [3]);
  });

  test('without pinned comments the order is unchanged', () => {
    const tree = buildCommentTree([{ id: 1, parentId: null, createdAt: at(1), pinnedAt: null }, { id: 2, parentId: null, createdAt: at(0), pinnedAt: null }], 5);
    assert.deepEqual(pinnedFirst(tree).map((n) => n.comment.id), [2, 1]);
  });
});
