import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { add, now, post, thread } from './thread.fixture.ts';
import { locateComment } from './comment-location.ts';

describe('locateComment', () => {
  test('a top-level comment, a reply and a nested reply land on their thread\'s page', async () => {
    const { db, roots, reply, nested } = await thread();
    assert.equal(await locateComment(db, post, roots[0], [], 'oldest', 2, now), `/posts/long-thread#comment-${roots[0]}`);
    assert.equal(await locateComment(db, post, roots[2], [], 'oldest', 2, now), `/posts/long-thread?cpage=2#comment-${roots[2]}`);
    assert.equal(await locateComment(db, post, reply, [], 'oldest', 2, now), `/posts/long-thread#comment-${reply}`);
    assert.equal(await locateComment(db, post, nested, [], 'oldest', 2, now), `/posts/long-thread#comment-${nested}`);
    assert.equal(await locateComment(db, post, roots[4], [], 'oldest', 2, now), `/posts/long-thread?cpage=3#comment-${roots[4]}`);
  });

  test('newest first counts from the latest thread', async () => {
    const { db, roots, nested } = await thread();
    assert.equal(await locateComment(db, post, roots[4], [], 'newest', 2, now), `/posts/long-thread?corder=newest#comment-${roots[4]}`);
    assert.equal(await locateComment(db, post, nested, [], 'newest', 2, now), `/posts/long-thread?cpage=2&corder=newest#comment-${nested}`);
    assert.equal(await locateComment(db, post, roots[0], [], 'newest', 2, now), `/posts/long-thread?cpage=3&corder=newest#comment-${roots[0]}`);
  });

  test('a pending comment is found for its author only; spam never', async () => {
    const { db } = await thread();
    const pending = await add(db, 20, null, 'pending');
    const spam = await add(db, 21, null, 'spam');
    assert.equal(await locateComment(db, post, pending, [], 'oldest', 2, now), null);
    // Its author sees it as a sixth thread: page 3.
    assert.equal(await locateComment(db, post, pending, [pending], 'oldest', 2, now), `/posts/long-thread?cpage=3#comment-${pending}`);
    assert.equal(await locateComment(db, post, spam, [], 'oldest', 2, now), null);
    assert.equal(await locateComment(db, post, 9999, [], 'oldest', 2, now), null);
  });
});
