// A returning commenter's personal page reuses everyone's thread (rows and published cards) and
// adds only their own comments: it must read exactly as if the thread were loaded for them alone.
// Run: node --import tsx --test src/web/views/thread-fragment.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, addTestModerators } from '../../../db/testing.ts';
import { insertComment, type NewCommentRow } from '../../../db/queries/comments.ts';
import type { PostSummary } from '../../domain/posts/posts.ts';
import { createTranslator } from '../../i18n/index.ts';
import { renderCommentThread } from '../../render/comment-thread.ts';
import { loadCommentSection } from '../../services/comments.ts';
import { moderateComments } from '../../services/moderation.ts';
import { loadThreadSection } from './thread-fragment.ts';
import { ownCommentControls } from './own-comments.ts';

const t0 = new Date('2026-11-25T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const now = at(600);
const en = createTranslator('en');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };

async function setup(slug: string) {
  const db = await createTestDb();
  await addTestModerators(db, ['mia@example.com', 'Mia']);
  const post: PostSummary = { slug, title: 'Outage', description: '', pubDate: at(-60), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3 };
  const add = (over: Partial<NewCommentRow>) =>
    insertComment(db, { postSlug: slug, status: 'approved', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'x', bodyHtml: '<p>x</p>', createdAt: t0, updatedAt: t0, ...over });
  /** The thread as it reads when loaded for this viewer alone, without any fragment. */
  const expected = async (ownIds: number[]) => renderCommentThread((await loadCommentSection(db, post, ownIds, null, now)).tree, slug, true, en);
  /** What the page sends: the section's bytes (everyone's kept with the fragment, a personal thread's made for it). */
  const shown = async (ownIds: number[], ownControls?: ReadonlyMap<number, string>) =>
    Buffer.from((await loadThreadSection(db, post, ownIds, null, now, en, { ownControls })).threadBytes).toString('utf8');
  return { db, add, post, expected, shown };
}

describe('a personal thread built on everyone’s thread', () => {
  test('own pending comments appear in place (top level, as a reply), and everyone else’s view is unchanged', async () => {
    const { add, expected, shown } = await setup('fragment-personal');
    const top = await add({ authorName: 'Top', bodyHtml: '<p>Is it down?</p>', createdAt: at(1) });
    await add({ parentId: top, authorName: 'Staff', bodyHtml: '<p>Yes.</p>', createdAt: at(3) });
    const ownTop = await add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Mine, top</p>', createdAt: at(2) });
    const ownReply = await add({ status: 'pending', parentId: top, authorName: 'Me', bodyHtml: '<p>Mine, reply</p>', createdAt: at(4) });
    await add({ status: 'pending', authorName: 'Someone else', bodyHtml: '<p>Not mine</p>', createdAt: at(5) });

    const everyone = await shown([]);
    assert.equal(everyone, await expected([]));
    for (const ownIds of [[ownTop], [ownReply], [ownTop, ownReply]]) {
      const html = await shown(ownIds);
      assert.equal(html, await expected(ownIds), `own ${ownIds.join(', ')}`);
      assert.ok(html.includes('Mine, ') && !html.includes('Not mine'));
    }
    assert.equal(await shown([]), everyone, 'a personal render leaves no pending comment in everyone’s thread');
  });

  test('a reply to someone else’s pending comment, written after everyone’s thread was read, keeps its place under "comment removed"', async () => {
    const { add, expected, shown } = await setup('fragment-new-parent');
    await add({ authorName: 'Top', createdAt: at(1) });
    const theirs = await add({ status: 'pending', authorName: 'Hidden', bodyHtml: '<p>Hidden text</p>', createdAt: at(2) });
    await shown([]); // everyone's thread is read before the reply exists
    const ownReply = await add({ status: 'pending', parentId: theirs, authorName: 'Me', bodyHtml: '<p>My answer</p>', createdAt: at(3) });
    const html = await shown([ownReply]);
    assert.equal(html, await expected([ownReply]));
    assert.ok(html.includes('My answer') && html.includes('comment-removed') && !html.includes('Hidden text'));
  });

  test('once the own comment is published, the page shows it like everyone else’s', async () => {
    const { db, add, expected, shown } = await setup('fragment-published');
    await add({ authorName: 'Top', createdAt: at(1) });
    const mine = await add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Mine</p>', createdAt: at(2) });
    const other = await add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Still waiting</p>', createdAt: at(3) });
    assert.equal(await shown([mine, other]), await expected([mine, other]));
    await moderateComments(db, mia, 'approve', [mine], now);
    const html = await shown([mine, other]);
    assert.equal(html, await expected([mine, other]));
    assert.equal(await shown([]), await expected([]));
    assert.ok((await shown([])).includes('<p>Mine</p>') && !(await shown([])).includes('Still waiting'));
  });

  test('controls on the viewer’s own comments go on their cards only, published or pending, and stay out of everyone’s thread', async () => {
    const { db, add, post, expected, shown } = await setup('fragment-controls');
    const top = await add({ authorName: 'Top', createdAt: at(1) });
    const minePublished = await add({ parentId: top, authorName: 'Me', bodyHtml: '<p>Mine, out</p>', createdAt: at(2) });
    const minePending = await add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Mine, waiting</p>', createdAt: at(3) });
    const everyone = await shown([]);
    const access = { now, editMinutes: 24 * 60 };
    for (const ownIds of [[minePublished], [minePublished, minePending]]) {
      const controls = await ownCommentControls(db, post.slug, { ...access, ownCommentIds: ownIds }, en);
      assert.deepEqual([...controls.keys()].sort(), [...ownIds].sort(), 'Edit and Delete for each own comment in its window');
      const html = await shown(ownIds, controls);
      assert.equal(html, renderCommentThread((await loadCommentSection(db, post, ownIds, null, now)).tree, post.slug, true, en, { additions: controls }), `own ${ownIds.join(', ')}`);
      for (const id of ownIds) assert.match(html, new RegExp(`<li class="comment" id="comment-${id}"><article[^]*?href="/comments/${id}/edit"[^]*?</article>`));
      assert.ok(!html.includes(`/comments/${top}/edit`));
    }
    assert.equal(await shown([]), everyone, 'everyone’s thread carries no one’s controls');
    assert.equal(await shown([]), await expected([]));
  });
});
