/**
 * Turning a flat list of comments into the thread readers see.
 * Pure and iterative (no recursion), so hostile data — cycles, self-parents,
 * 10,000-deep reply chains — can neither loop forever nor overflow the stack.
 */
import type { CommentStatus, ThreadComment } from './types';

/** One comment in the rendered thread. */
export interface CommentNode<T extends ThreadComment> {
  comment: T;
  /** 1 for top-level comments; never greater than the `maxDepth` the tree was built with. */
  depth: number;
  /** Direct replies, oldest first. */
  replies: CommentNode<T>[];
}

/** Oldest first; id breaks ties so equal timestamps render in a stable order. Invalid dates sort last. */
function chronological(a: ThreadComment, b: ThreadComment): number {
  const ta = a.createdAt.getTime();
  const tb = b.createdAt.getTime();
  if (ta !== tb) {
    if (Number.isNaN(ta)) return 1;
    if (Number.isNaN(tb)) return -1;
    return ta - tb;
  }
  return a.id - b.id;
}

/**
 * Builds the visible thread: roots in chronological order, replies chronological under their parent.
 * A reply whose parent is not in the list is dropped (its parent is not visible) — unless the caller passes
 * placeholders (see `selectVisibleComments`). Depth starts at 1 for roots. A reply that would be deeper than
 * maxDepth is lifted to the deepest allowed level: it becomes a sibling of its ancestor at depth maxDepth,
 * in chronological order among them (so with maxDepth 1 the whole thread is one flat, chronological list).
 * Self-parented comments and cycles are unreachable from any root and therefore dropped. O(n log n).
 */
export function buildCommentTree<T extends ThreadComment>(comments: readonly T[], maxDepth: number): CommentNode<T>[] {
  // Defensive clamp: a nonsense depth (0, negative, NaN) still yields a readable flat thread.
  const limit = Number.isNaN(maxDepth) ? 1 : Math.max(1, Math.floor(maxDepth));

  // First occurrence of an id wins; duplicates would otherwise render twice.
  const byId = new Map<number, T>();
  for (const c of comments) if (!byId.has(c.id)) byId.set(c.id, c);

  const sorted = [...byId.values()].sort(chronological);
  const roots: T[] = [];
  const childrenOf = new Map<number, T[]>(); // filled in chronological order
  for (const c of sorted) {
    if (c.parentId === null) {
      roots.push(c);
    } else if (c.parentId !== c.id && byId.has(c.parentId)) {
      const siblings = childrenOf.get(c.parentId);
      if (siblings) siblings.push(c);
      else childrenOf.set(c.parentId, [c]);
    }
    // else: orphan or self-parent → dropped
  }

  /** Every comment below `start` (not including it), oldest first. Each node has one parent, so no revisits. */
  const flattenDescendants = (start: readonly T[]): T[] => {
    const out: T[] = [];
    const stack = [...start];
    while (stack.length > 0) {
      const c = stack.pop() as T;
      out.push(c);
      const kids = childrenOf.get(c.id);
      if (kids) for (const k of kids) stack.push(k); // no spread: argument limits on huge fan-outs
    }
    return out.sort(chronological);
  };

  /** The comments to show directly under `kids`' parent at `depth`: as-is, or flattened at the limit. */
  const levelAt = (kids: readonly T[], depth: number): readonly T[] =>
    depth >= limit ? flattenDescendants(kids) : kids;

  const makeNodes = (list: readonly T[], depth: number): CommentNode<T>[] =>
    list.map((comment) => ({ comment, depth, replies: [] }));

  const tree = makeNodes(levelAt(roots, 1), 1);
  // Breadth-first over nodes that may still have nested replies (depth < limit).
  const queue: CommentNode<T>[] = limit > 1 ? [...tree] : [];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as CommentNode<T>;
    const kids = childrenOf.get(node.comment.id);
    if (!kids) continue;
    const depth = node.depth + 1;
    node.replies = makeNodes(levelAt(kids, depth), depth);
    if (depth < limit) for (const r of node.replies) queue.push(r);
  }
  return tree;
}

/** Counts nodes in a tree (e.g. for "12 comments" next to the thread), iteratively. */
export function countNodes(nodes: readonly CommentNode<any>[]): number {
  let count = 0;
  const stack: (readonly CommentNode<any>[])[] = [nodes];
  while (stack.length > 0) {
    const level = stack.pop() as readonly CommentNode<any>[];
    count += level.length;
    for (const n of level) if (n.replies.length > 0) stack.push(n.replies);
  }
  return count;
}

/**
 * Given all comments of a post (with status) returns the visible set, in input order:
 * - approved comments;
 * - comments in `alsoVisibleIds` (the viewer's own comments awaiting moderation) — honoured only while they
 *   are `pending`, so a comment a moderator trashed or marked as spam disappears for its author too;
 * - "placeholder" entries (`placeholder: true`) for any other comment (pending/spam/trash) that has at least
 *   one visible descendant, so replies keep their place in the thread under a "comment removed" stub.
 *
 * SECURITY: a placeholder still carries the original fields (name, body…); renderers must show only the stub.
 * O(n): each ancestor walk stops at the first comment already handled, so cycles cannot loop.
 */
export function selectVisibleComments<T extends ThreadComment & { status: CommentStatus }>(
  all: readonly T[],
  opts?: { alsoVisibleIds?: ReadonlySet<number> },
): Array<T & { placeholder: boolean }> {
  const alsoVisible = opts?.alsoVisibleIds;
  const isVisible = (c: T): boolean =>
    c.status === 'approved' || (c.status === 'pending' && alsoVisible !== undefined && alsoVisible.has(c.id));

  const byId = new Map<number, T>();
  for (const c of all) if (!byId.has(c.id)) byId.set(c.id, c);

  const placeholderIds = new Set<number>();
  for (const c of byId.values()) {
    if (!isVisible(c)) continue;
    // Walk up, turning hidden ancestors into placeholders, until a visible or already-marked one.
    let parentId = c.parentId;
    let childId = c.id;
    while (parentId !== null && parentId !== childId) {
      const parent = byId.get(parentId);
      if (!parent || isVisible(parent) || placeholderIds.has(parent.id)) break;
      placeholderIds.add(parent.id);
      childId = parent.id;
      parentId = parent.parentId;
    }
  }

  const out: Array<T & { placeholder: boolean }> = [];
  const emitted = new Set<number>();
  for (const c of all) {
    if (emitted.has(c.id) || byId.get(c.id) !== c) continue; // same first-wins rule as above
    if (isVisible(c)) out.push({ ...c, placeholder: false });
    else if (placeholderIds.has(c.id)) out.push({ ...c, placeholder: true });
    else continue;
    emitted.add(c.id);
  }
  return out;
}
