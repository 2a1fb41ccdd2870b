import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildCommentTree, countNodes, selectVisibleComments, type CommentNode } from './threading';
import type { CommentStatus, ThreadComment } from './types';

type C = ThreadComment & { text: string };
type S = ThreadComment & { status: CommentStatus };

const t0 = Date.UTC(2024, 0, 1);
/** Comment `id` posted `minute` minutes after t0. */
const c = (id: number, parentId: number | null, minute: number = id): C => ({
  id,
  parentId,
  createdAt: new Date(t0 + minute * 60_000),
  text: `#${id}`,
});
const s = (id: number, parentId: number | null, status: CommentStatus, minute: number = id): S => ({
  id,
  parentId,
  status,
  createdAt: new Date(t0 + minute * 60_000),
});

/** Compact picture of a tree: "id@depth" with replies in brackets. */
function shape(nodes: readonly CommentNode<ThreadComment>[]): string {
  return nodes
    .map((n) => `${n.comment.id}@${n.depth}${n.replies.length ? `[${shape(n.replies)}]` : ''}`)
    .join(' ');
}

describe('buildCommentTree', () => {
  test('roots and replies are chronological regardless of input order', () => {
    const comments = [c(5, 1), c(3, null), c(1, null), c(2, 1), c(4, 2)];
    assert.equal(shape(buildCommentTree(comments, 5)), '1@1[2@2[4@3] 5@2] 3@1');
  });

  test('equal timestamps fall back to id so the order is stable', () => {
    assert.equal(shape(buildCommentTree([c(9, null, 0), c(4, null, 0), c(6, null, 0)], 5)), '4@1 6@1 9@1');
  });

  test('a reply whose parent is not visible is dropped, with its own replies', () => {
    // 2 replies to 99, which is hidden (not in the list); 3 replies to 2.
    const tree = buildCommentTree([c(1, null), c(2, 99), c(3, 2)], 5);
    assert.equal(shape(tree), '1@1');
  });

  test('replies deeper than maxDepth become chronological siblings at the deepest level', () => {
    // chain 1 ← 2 ← 3 ← 4 ← 5, plus 6 replying to 3 later, plus 7 replying to 2
    const comments = [c(1, null), c(2, 1), c(3, 2), c(4, 3), c(5, 4), c(6, 3, 4.5), c(7, 2, 6)];
    assert.equal(shape(buildCommentTree(comments, 3)), '1@1[2@2[3@3 4@3 6@3 5@3 7@3]]');
    assert.equal(shape(buildCommentTree(comments, 4)), '1@1[2@2[3@3[4@4 6@4 5@4] 7@3]]');
  });

  test('maxDepth 1 shows one flat chronological list', () => {
    const comments = [c(1, null), c(2, 1), c(3, null), c(4, 2), c(5, 3)];
    assert.equal(shape(buildCommentTree(comments, 1)), '1@1 2@1 3@1 4@1 5@1');
  });

  test('nonsense maxDepth (0, negative, NaN) degrades to a flat list instead of failing', () => {
    const comments = [c(1, null), c(2, 1)];
    for (const d of [0, -3, Number.NaN]) assert.equal(shape(buildCommentTree(comments, d)), '1@1 2@1');
  });

  test('no node is ever deeper than maxDepth', () => {
    const comments = [c(1, null), ...Array.from({ length: 50 }, (_, i) => c(i + 2, i + 1))];
    for (const max of [1, 2, 5, 10]) {
      let deepest = 0;
      const walk = (ns: readonly CommentNode<C>[]) => ns.forEach((n) => ((deepest = Math.max(deepest, n.depth)), walk(n.replies)));
      const tree = buildCommentTree(comments, max);
      walk(tree);
      assert.equal(deepest, max);
      assert.equal(countNodes(tree), 51);
    }
  });

  test('self-parent and cycles are dropped instead of looping forever', () => {
    const comments = [c(1, null), c(2, 2), c(3, 4), c(4, 3), c(5, 1)];
    assert.equal(shape(buildCommentTree(comments, 5)), '1@1[5@2]');
  });

  test('duplicate ids render once', () => {
    assert.equal(shape(buildCommentTree([c(1, null), c(1, null), c(2, 1)], 5)), '1@1[2@2]');
  });

  test('keeps the caller’s objects (extra fields reach the template)', () => {
    const one = c(1, null);
    assert.equal(buildCommentTree([one], 5)[0]?.comment, one);
  });

  test('10,000 comments in a single deep chain: no stack overflow, nothing lost', () => {
    const chain = [c(1, null), ...Array.from({ length: 9_999 }, (_, i) => c(i + 2, i + 1))];
    const deep = buildCommentTree(chain.slice().reverse(), 20_000);
    assert.equal(countNodes(deep), 10_000);
    const flat = buildCommentTree(chain, 5);
    assert.equal(countNodes(flat), 10_000);
    assert.equal(flat[0]?.replies[0]?.replies[0]?.replies[0]?.replies.length, 9_996);
  });

  test('10,000 comments in a random bushy thread: all reachable ones are kept', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed / 2 ** 31);
    const many = Array.from({ length: 10_000 }, (_, i) =>
      c(i + 1, i === 0 || rand() < 0.1 ? null : 1 + Math.floor(rand() * i), rand() * 100_000),
    );
    assert.equal(countNodes(buildCommentTree(many, 5)), 10_000);
  });
});

describe('countNodes', () => {
  test('counts every comment shown, including nested replies', () => {
    assert.equal(countNodes([]), 0);
    assert.equal(countNodes(buildCommentTree([c(1, null), c(2, 1), c(3, 2), c(4, null)], 5)), 4);
  });
});

describe('selectVisibleComments', () => {
  const pick = (xs: ReadonlyArray<S & { placeholder: boolean }>) =>
    xs.map((x) => `${x.id}${x.placeholder ? '?' : ''}`).join(' ');

  test('public sees approved comments only', () => {
    const all = [s(1, null, 'approved'), s(2, null, 'pending'), s(3, null, 'spam'), s(4, null, 'trash')];
    assert.equal(pick(selectVisibleComments(all)), '1');
  });

  test('a removed comment with an approved reply stays as a placeholder so the reply keeps its place', () => {
    const all = [s(1, null, 'trash'), s(2, 1, 'approved'), s(3, null, 'spam'), s(4, 3, 'spam')];
    const visible = selectVisibleComments(all);
    assert.equal(pick(visible), '1? 2');
    assert.equal(shape(buildCommentTree(visible, 5)), '1@1[2@2]');
  });

  test('every hidden ancestor on the path becomes a placeholder, but hidden siblings do not', () => {
    const all = [
      s(1, null, 'spam'),
      s(2, 1, 'pending'),
      s(3, 2, 'trash'),
      s(4, 3, 'approved'),
      s(5, 1, 'spam'), // hidden leaf next to the path
    ];
    assert.equal(pick(selectVisibleComments(all)), '1? 2? 3? 4');
  });

  test('the viewer sees their own pending comment (not as a placeholder), nobody else does', () => {
    const all = [s(1, null, 'approved'), s(2, 1, 'pending'), s(3, 1, 'pending')];
    assert.equal(pick(selectVisibleComments(all, { alsoVisibleIds: new Set([2]) })), '1 2');
    assert.equal(pick(selectVisibleComments(all)), '1');
  });

  test('the viewer’s pending reply to a removed comment keeps that comment as a placeholder', () => {
    const all = [s(1, null, 'trash'), s(2, 1, 'pending')];
    assert.equal(pick(selectVisibleComments(all, { alsoVisibleIds: new Set([2]) })), '1? 2');
  });

  test('alsoVisibleIds cannot reveal spam or trash (once moderated, it is gone for its author too)', () => {
    const all = [s(1, null, 'spam'), s(2, null, 'trash')];
    assert.equal(pick(selectVisibleComments(all, { alsoVisibleIds: new Set([1, 2]) })), '');
  });

  test('cycles and self-parents terminate', () => {
    const all = [s(1, 1, 'spam'), s(2, 3, 'spam'), s(3, 2, 'trash'), s(4, 3, 'approved'), s(5, 5, 'approved')];
    const visible = selectVisibleComments(all);
    assert.equal(pick(visible), '2? 3? 4 5');
    assert.equal(shape(buildCommentTree(visible, 5)), ''); // none of them is reachable from a real root
  });

  test('10,000 comments, mostly hidden chains: completes and keeps exactly the needed placeholders', () => {
    const all: S[] = [s(1, null, 'spam')];
    for (let i = 2; i <= 10_000; i++) all.push(s(i, i - 1, i === 10_000 ? 'approved' : 'trash'));
    const visible = selectVisibleComments(all);
    assert.equal(visible.length, 10_000);
    assert.equal(visible.filter((v) => v.placeholder).length, 9_999);
    assert.equal(countNodes(buildCommentTree(visible, 5)), 10_000);
  });

  test('returns copies flagged with placeholder, leaving the input untouched', () => {
    const all = [s(1, null, 'approved')];
    const [v] = selectVisibleComments(all);
    assert.equal(v?.placeholder, false);
    assert.equal('placeholder' in (all[0] as object), false);
  });
});
