import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { add, now, post, thread } from './thread.fixture.ts';
import { createTranslator } from '../../i18n/index.ts';
import { loadThreadSection, locateInThread, type ThreadSection } from './thread-fragment.ts';

const html = (section: ThreadSection) => Buffer.from(section.threadBytes).toString('utf8');

describe('loadThreadSection with pages', () => {
  const en = createTranslator('en');
  test('each page shows its threads with replies, and knows how many pages there are', async () => {
    const { db, roots, reply, nested } = await thread();
    const first = await loadThreadSection(db, post, [], null, now, en, { pageRequest: { page: 1, order: 'oldest' }, perPage: 2 });
    assert.deepEqual(first.pagination, { page: 1, pageCount: 3, order: "oldest", threadCount: 5 });
    assert.deepEqual(first.pageTree.map((n) => n.comment.id), [roots[0], roots[1]]);
    for (const id of [roots[0], roots[1], reply, nested]) assert.ok(html(first).includes(`id="comment-${id}"`), `comment ${id} on page 1`);
    assert.ok(!html(first).includes(`id="comment-${roots[2]}"`));
    // The count is the post's, not the page's.
    assert.equal(first.approvedCount, 7);

    const newest = await loadThreadSection(db, post, [], null, now, en, { pageRequest: { page: 1, order: 'newest' }, perPage: 2 });
    assert.deepEqual(newest.pageTree.map((n) => n.comment.id), [roots[4], roots[3]]);
    // Permalinks name the default-order page, reply links keep the current one.
    assert.ok(html(newest).includes(`href="/posts/long-thread?cpage=3#comment-${roots[4]}"`));
    assert.ok(html(newest).includes(`href="/posts/long-thread?cpage=2#comment-${roots[3]}"`));
    assert.ok(html(newest).includes(`href="?corder=newest&amp;replyto=${roots[4]}#respond"`));
  });

  test('a page past the end is clamped to the last; a reply target on another page is still named', async () => {
    const { db, roots } = await thread();
    const section = await loadThreadSection(db, post, [], roots[0], now, en, { pageRequest: { page: 7, order: 'oldest' }, perPage: 2 });
    assert.equal(section.pagination.page, 3);
    assert.deepEqual(section.replyTarget, { id: roots[0], authorName: 'Reader 0' });
  });
});

describe('locateInThread (/comments/<id>, the redirect after a comment is sent)', () => {
  const options = { perPage: 2, now, avatarSecret: 'a'.repeat(64) };

  test('a top-level comment, a reply and a nested reply land on their thread\'s page', async () => {
    const { db, roots, reply, nested } = await thread();
    assert.equal(await locateInThread(db, post, roots[0], [], options), `/posts/long-thread#comment-${roots[0]}`);
    assert.equal(await locateInThread(db, post, roots[2], [], options), `/posts/long-thread?cpage=2#comment-${roots[2]}`);
    assert.equal(await locateInThread(db, post, reply, [], options), `/posts/long-thread#comment-${reply}`);
    assert.equal(await locateInThread(db, post, nested, [], options), `/posts/long-thread#comment-${nested}`);
    assert.equal(await locateInThread(db, post, roots[4], [], options), `/posts/long-thread?cpage=3#comment-${roots[4]}`);
  });

  test('a pending comment is found for its author only (on the page of their own thread); spam, unknown and other posts\' comments never', async () => {
    const { db, roots } = await thread();
    const pending = await add(db, 20, null, 'pending');
    const pendingReply = await add(db, 21, roots[4], 'pending');
    const spam = await add(db, 22, null, 'spam');
    assert.equal(await locateInThread(db, post, pending, [], options), null);
    // Its author sees it as a sixth thread: page 3.
    assert.equal(await locateInThread(db, post, pending, [pending], options), `/posts/long-thread?cpage=3#comment-${pending}`);
    assert.equal(await locateInThread(db, post, pendingReply, [pendingReply], options), `/posts/long-thread?cpage=3#comment-${pendingReply}`);
    // Others' comments keep their place for a viewer with a pending one.
    assert.equal(await locateInThread(db, post, roots[0], [pending], options), `/posts/long-thread#comment-${roots[0]}`);
    assert.equal(await locateInThread(db, post, spam, [], options), null);
    assert.equal(await locateInThread(db, post, spam, [spam], options), null);
    assert.equal(await locateInThread(db, post, 9999, [], options), null);
    assert.equal(await locateInThread(db, { ...post, slug: 'another-post' }, roots[0], [], options), null);
  });
});
