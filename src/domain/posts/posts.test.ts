import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paginate, readingMinutes, relatedPosts, sortNewestFirst, postsByAuthor, postsWithTag, type PostSummary } from './posts.ts';

const post = (slug: string, date: string, tags: string[] = []): PostSummary => ({
  slug, title: slug, description: '', pubDate: new Date(date), author: 'A', tags, commentsEnabled: true, readingMinutes: 1,
});

describe('posts', () => {
  test('newest first, stable by slug on equal dates', () => {
    const sorted = sortNewestFirst([post('b', '2026-01-01'), post('c', '2026-03-01'), post('a', '2026-01-01')]);
    assert.deepEqual(sorted.map((p) => p.slug), ['c', 'a', 'b']);
  });

  test('pagination: 10 a page, a missing page is null', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    assert.deepEqual(paginate(items, 3), { items: [20, 21, 22], page: 3, pageCount: 3 });
    assert.equal(paginate(items, 4), null);
    assert.equal(paginate(items, 0), null);
    assert.equal(paginate([], 1)?.pageCount, 1);
  });

  test('related posts share tags, most shared first, never the post itself', () => {
    const me = post('me', '2026-01-01', ['sip', 'incident']);
    const all = [me, post('one', '2026-02-01', ['sip']), post('two', '2025-01-01', ['sip', 'incident']), post('none', '2026-05-01', ['x'])];
    assert.deepEqual(relatedPosts(me, all).map((p) => p.slug), ['two', 'one']);
  });

  test("an author's page lists only their posts, newest first", () => {
    const mine = { ...post('old', '2026-01-01'), author: 'Jana Brandt' };
    const newer = { ...post('new', '2026-05-01'), author: 'Jana Brandt' };
    const theirs = { ...post('other', '2026-03-01'), author: 'Marcus Webb' };
    assert.deepEqual(postsByAuthor([mine, theirs, newer], 'Jana Brandt').map((p) => p.slug), ['new', 'old']);
    assert.deepEqual(postsByAuthor([mine, theirs], 'Nobody'), []);
  });

  test('tag pages list only tagged posts', () => {
    const all = [post('a', '2026-01-01', ['x']), post('b', '2026-02-01', ['x', 'y']), post('c', '2026-03-01', ['y'])];
    assert.deepEqual(postsWithTag(all, 'x').map((p) => p.slug), ['b', 'a']);
  });

  test('reading time is at least one minute and grows with length', () => {
    assert.equal(readingMinutes('short'), 1);
    assert.equal(readingMinutes('word '.repeat(2000)), 10);
  });

  test('pagination refuses pages that are not whole numbers, and a custom page size splits exactly', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    assert.equal(paginate(items, 1.5), null);
    assert.equal(paginate(items, Number.NaN), null);
    assert.deepEqual(paginate(items, 1), { items: items.slice(0, 10), page: 1, pageCount: 3 });
    assert.deepEqual(paginate(items, 2, 20), { items: [20, 21, 22], page: 2, pageCount: 2 });
    assert.deepEqual(paginate([1, 2], 1, 2), { items: [1, 2], page: 1, pageCount: 1 });
  });

  test('related posts: at most three by default, newest first among equally related', () => {
    const me = post('me', '2026-01-01', ['sip']);
    const others = [post('old', '2024-01-01', ['sip']), post('new', '2026-06-01', ['sip']), post('mid', '2025-06-01', ['sip']), post('older', '2023-01-01', ['sip'])];
    assert.deepEqual(relatedPosts(me, [me, ...others]).map((p) => p.slug), ['new', 'mid', 'old']);
    assert.deepEqual(relatedPosts(me, [me, ...others], 1).map((p) => p.slug), ['new']);
  });
});
