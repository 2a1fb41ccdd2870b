import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commentPageQuery,
  countCommentPages,
  countPinnedThreads,
  isCanonicalCommentQuery,
  neighbourPages,
  pageOfThread,
  paginateThreads,
  parseCommentPage,
  threadIndexOf,
} from './pagination';

const parse = (query: string) => parseCommentPage(new URLSearchParams(query));

describe('parseCommentPage', () => {
  test('no parameters: page 1, oldest first, canonical', () => {
    assert.deepEqual(parse(''), { page: 1, order: 'oldest', canonical: true });
  });
  test('reads a page and the newest-first order', () => {
    assert.deepEqual(parse('cpage=3&corder=newest'), { page: 3, order: 'newest', canonical: true });
    assert.deepEqual(parse('replyto=7&cpage=2'), { page: 2, order: 'oldest', canonical: true });
  });
  test('other spellings are read but not canonical', () => {
    assert.deepEqual(parse('cpage=1'), { page: 1, order: 'oldest', canonical: false });
    assert.deepEqual(parse('cpage=02'), { page: 1, order: 'oldest', canonical: false });
    assert.deepEqual(parse('corder=oldest'), { page: 1, order: 'oldest', canonical: false });
    assert.deepEqual(parse('cpage=2&cpage=3'), { page: 1, order: 'oldest', canonical: false });
  });
  test('garbage means page 1, oldest first', () => {
    for (const query of ['cpage=abc', 'cpage=-2', 'cpage=0', 'cpage=99999999999', 'corder=sideways', 'cpage=2.5']) {
      const parsed = parse(query);
      assert.equal(parsed.page, 1, query);
      assert.equal(parsed.order, 'oldest', query);
      assert.equal(parsed.canonical, false, query);
    }
  });
});

describe('commentPageQuery and isCanonicalCommentQuery', () => {
  test('page 1 oldest first is the bare post URL', () => {
    assert.equal(commentPageQuery({ page: 1, order: 'oldest' }), '');
    assert.equal(commentPageQuery({ page: 4, order: 'oldest' }), '?cpage=4');
    assert.equal(commentPageQuery({ page: 1, order: 'newest' }), '?corder=newest');
    assert.equal(commentPageQuery({ page: 2, order: 'newest' }), '?cpage=2&corder=newest');
  });
  test('every query it builds round-trips and is canonical', () => {
    for (const request of [{ page: 4, order: 'oldest' }, { page: 1, order: 'newest' }, { page: 12, order: 'newest' }] as const) {
      const query = commentPageQuery(request);
      assert.ok(isCanonicalCommentQuery(query), query);
      const parsed = parse(query.slice(1));
      assert.deepEqual({ page: parsed.page, order: parsed.order }, request);
    }
  });
  test('other spellings are not canonical (the page cache will not store them)', () => {
    for (const query of ['', '?', '?cpage=1', '?cpage=01', '?corder=newest&cpage=2', '?cpage=2&replyto=3', '?corder=oldest', '?cpage=2&', '?x=1']) {
      assert.equal(isCanonicalCommentQuery(query), false, query);
    }
  });
});

describe('paginateThreads', () => {
  const threads = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  test('oldest first: consecutive slices, the last one short', () => {
    assert.deepEqual(paginateThreads(threads, { page: 1, order: 'oldest' }, 3).threads, ['a', 'b', 'c']);
    const last = paginateThreads(threads, { page: 3, order: 'oldest' }, 3);
    assert.deepEqual(last.threads, ['g']);
    assert.deepEqual(last.oldestIndexes, [6]);
    assert.equal(last.pageCount, 3);
  });
  test('newest first: page 1 holds the latest threads, latest on top', () => {
    const first = paginateThreads(threads, { page: 1, order: 'newest' }, 3);
    assert.deepEqual(first.threads, ['g', 'f', 'e']);
    assert.deepEqual(first.oldestIndexes, [6, 5, 4]);
    assert.deepEqual(paginateThreads(threads, { page: 3, order: 'newest' }, 3).threads, ['a']);
  });
  test('a page past the end is clamped to the last', () => {
    const page = paginateThreads(threads, { page: 9, order: 'oldest' }, 3);
    assert.equal(page.page, 3);
    assert.deepEqual(page.threads, ['g']);
  });
  test('no limit: everything on page 1', () => {
    assert.deepEqual(paginateThreads(threads, { page: 1, order: 'oldest' }, Number.POSITIVE_INFINITY).threads, threads);
  });
  test('no threads: one empty page', () => {
    assert.deepEqual(paginateThreads([], { page: 1, order: 'oldest' }, 50), { threads: [], oldestIndexes: [], page: 1, pageCount: 1, order: 'oldest' });
  });
  test('every thread appears on exactly one page, in either order', () => {
    for (const order of ['oldest', 'newest'] as const) {
      const seen: string[] = [];
      for (let page = 1; page <= countCommentPages(threads.length, 2); page++) seen.push(...paginateThreads(threads, { page, order }, 2).threads);
      assert.deepEqual([...seen].sort(), threads);
    }
  });
});

describe('pinned threads (issue 12)', () => {
  interface Node { comment: { id: string; pinnedAt: Date | null } }
  const node = (id: string, pinnedAt: Date | null = null): Node => ({ comment: { id, pinnedAt } });
  // As `pinnedFirst` orders them: the pinned threads, then the others oldest first.
  const threads = [node('p1', new Date(1)), node('p2', new Date(2)), node('a'), node('b'), node('c'), node('d'), node('e')];
  const ids = (page: { threads: Node[] }) => page.threads.map((n) => n.comment.id);
  test('newest first: the pinned threads still lead page 1, the others latest first after them', () => {
    assert.deepEqual(ids(paginateThreads(threads, { page: 1, order: 'newest' }, 3)), ['p1', 'p2', 'e']);
    assert.deepEqual(ids(paginateThreads(threads, { page: 2, order: 'newest' }, 3)), ['d', 'c', 'b']);
    assert.deepEqual(ids(paginateThreads(threads, { page: 3, order: 'newest' }, 3)), ['a']);
    assert.deepEqual(ids(paginateThreads(threads, { page: 1, order: 'newest' }, Number.POSITIVE_INFINITY)), ['p1', 'p2', 'e', 'd', 'c', 'b', 'a']);
  });
  test('oldest first is unchanged: the pinned threads, then the oldest', () => {
    assert.deepEqual(ids(paginateThreads(threads, { page: 1, order: 'oldest' }, 3)), ['p1', 'p2', 'a']);
    assert.deepEqual(paginateThreads(threads, { page: 1, order: 'newest' }, 3).oldestIndexes, [0, 1, 6]);
  });
  test('pageOfThread agrees with paginateThreads, given how many are pinned', () => {
    const pinned = countPinnedThreads(threads);
    for (const order of ['oldest', 'newest'] as const) {
      for (const perPage of [1, 2, 3, 50]) {
        for (let page = 1; page <= countCommentPages(threads.length, perPage); page++) {
          for (const index of paginateThreads(threads, { page, order }, perPage).oldestIndexes) {
            assert.equal(pageOfThread(index, threads.length, order, perPage, pinned), page, `${order} ${perPage} #${index}`);
          }
        }
      }
    }
  });
  test('countPinnedThreads counts the pinned threads at the head only', () => {
    assert.equal(countPinnedThreads(threads), 2);
    assert.equal(countPinnedThreads(threads.slice(2)), 0);
    assert.equal(countPinnedThreads([node('a'), node('p', new Date(1))]), 0);
    assert.equal(countPinnedThreads(['a', 'b']), 0);
    assert.equal(countPinnedThreads([]), 0);
  });
});

describe('pageOfThread', () => {
  test('agrees with paginateThreads for every thread, in both orders', () => {
    const threads = Array.from({ length: 11 }, (_, i) => i);
    for (const order of ['oldest', 'newest'] as const) {
      for (const perPage of [1, 3, 5, 50]) {
        for (let page = 1; page <= countCommentPages(threads.length, perPage); page++) {
          for (const index of paginateThreads(threads, { page, order }, perPage).oldestIndexes) {
            assert.equal(pageOfThread(index, threads.length, order, perPage), page, `${order} ${perPage} #${index}`);
          }
        }
      }
    }
  });
});

describe('neighbourPages', () => {
  test('oldest first: older is the previous page, newer the next', () => {
    assert.deepEqual(neighbourPages({ page: 1, order: 'oldest' }, 3), { older: null, newer: 2 });
    assert.deepEqual(neighbourPages({ page: 2, order: 'oldest' }, 3), { older: 1, newer: 3 });
    assert.deepEqual(neighbourPages({ page: 3, order: 'oldest' }, 3), { older: 2, newer: null });
  });
  test('newest first: older is the next page', () => {
    assert.deepEqual(neighbourPages({ page: 1, order: 'newest' }, 3), { older: 2, newer: null });
    assert.deepEqual(neighbourPages({ page: 3, order: 'newest' }, 3), { older: null, newer: 2 });
  });
  test('a single page has no neighbours', () => {
    assert.deepEqual(neighbourPages({ page: 1, order: 'newest' }, 1), { older: null, newer: null });
  });
});

describe('threadIndexOf', () => {
  interface Node { comment: { id: number }; replies: Node[] }
  const node = (id: number, replies: Node[] = []): Node => ({ comment: { id }, replies });
  const tree = [node(1, [node(2, [node(3)])]), node(4), node(5, [node(6)])];
  test('finds the top-level thread of a root, a reply and a nested reply', () => {
    assert.equal(threadIndexOf(tree, 1), 0);
    assert.equal(threadIndexOf(tree, 3), 0);
    assert.equal(threadIndexOf(tree, 4), 1);
    assert.equal(threadIndexOf(tree, 6), 2);
  });
  test('-1 for a comment the tree does not show', () => {
    assert.equal(threadIndexOf(tree, 99), -1);
  });
});
