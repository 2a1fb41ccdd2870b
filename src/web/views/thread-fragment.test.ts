// A returning commenter's personal page reuses everyone's thread (rows and published cards) and
// adds only their own comments: it must read exactly as if the thread were loaded for them alone.
// Run: node --import tsx --test src/web/views/thread-fragment.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../../db/testing.ts';
import { insertComment, type NewCommentRow } from '../../../db/queries/comments.ts';
import type { PostSummary } from '../../domain/posts/posts.ts';
import { createTranslator } from '../../i18n/index.ts';
import { renderCommentThread } from '../../render/comment-thread.ts';
import { loadCommentSection } from '../../services/comments.ts';
import { moderateComments } from '../../services/moderation.ts';
import { loadThreadSection } from './thread-fragment.ts';

const t0 = new Date('2026-11-25T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const now = at(600);
const en = createTranslator('en');
const mia = { id: 1, name: 'Mia', email: 'mia@example.com' };

function setup(slug: string) {
  const db = createTestDb();
  db.$client.prepare("insert into moderators (id, email, name, password_hash, created_at) values (1, 'mia@example.com', 'Mia', 'x', 0)").run();
  const post: PostSummary = { slug, title: 'Outage', description: '', pubDate: at(-60), author: 'Ops', tags: [], commentsEnabled: true, readingMinutes: 3 };
  const add = (over: Partial<NewCommentRow>) =>
    insertComment(db, { postSlug: slug, status: 'approved', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'x', bodyHtml: '<p>x</p>', createdAt: t0, updatedAt: t0, ...over });
  /** The thread as it reads when loaded for this viewer alone, without any fragment. */
  const expected = (ownIds: number[]) => renderCommentThread(loadCommentSection(db, post, ownIds, null, now).tree, slug, true, en);
  const shown = (ownIds: number[]) => loadThreadSection(db, post, ownIds, null, now, en).threadHtml;
  return { db, add, expected, shown };
}

describe('a personal thread built on everyone’s thread', () => {
  test('own pending comments appear in place (top level, as a reply), and everyone else’s view is unchanged', () => {
    const { add, expected, shown } = setup('fragment-personal');
    const top = add({ authorName: 'Top', bodyHtml: '<p>Is it down?</p>', createdAt: at(1) });
    add({ parentId: top, authorName: 'Staff', bodyHtml: '<p>Yes.</p>', createdAt: at(3) });
    const ownTop = add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Mine, top</p>', createdAt: at(2) });
    const ownReply = add({ status: 'pending', parentId: top, authorName: 'Me', bodyHtml: '<p>Mine, reply</p>', createdAt: at(4) });
    add({ status: 'pending', authorName: 'Someone else', bodyHtml: '<p>Not mine</p>', createdAt: at(5) });

    const everyone = shown([]);
    assert.equal(everyone, expected([]));
    for (const ownIds of [[ownTop], [ownReply], [ownTop, ownReply]]) {
      const html = shown(ownIds);
      assert.equal(html, expected(ownIds), `own ${ownIds.join(', ')}`);
      assert.ok(html.includes('Mine, ') && !html.includes('Not mine'));
    }
    assert.equal(shown([]), everyone, 'a personal render leaves no pending comment in everyone’s thread');
  });

  test('a reply to someone else’s pending comment, written after everyone’s thread was read, keeps its place under "comment removed"', () => {
    const { add, expected, shown } = setup('fragment-new-parent');
    add({ authorName: 'Top', createdAt: at(1) });
    const theirs = add({ status: 'pending', authorName: 'Hidden', bodyHtml: '<p>Hidden text</p>', createdAt: at(2) });
    shown([]); // everyone's thread is read before the reply exists
    const ownReply = add({ status: 'pending', parentId: theirs, authorName: 'Me', bodyHtml: '<p>My answer</p>', createdAt: at(3) });
    const html = shown([ownReply]);
    assert.equal(html, expected([ownReply]));
    assert.ok(html.includes('My answer') && html.includes('comment-removed') && !html.includes('Hidden text'));
  });

  test('once the own comment is published, the page shows it like everyone else’s', () => {
    const { db, add, expected, shown } = setup('fragment-published');
    add({ authorName: 'Top', createdAt: at(1) });
    const mine = add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Mine</p>', createdAt: at(2) });
    const other = add({ status: 'pending', authorName: 'Me', bodyHtml: '<p>Still waiting</p>', createdAt: at(3) });
    assert.equal(shown([mine, other]), expected([mine, other]));
    moderateComments(db, mia, 'approve', [mine], now);
    const html = shown([mine, other]);
    assert.equal(html, expected([mine, other]));
    assert.equal(shown([]), expected([]));
    assert.ok(shown([]).includes('<p>Mine</p>') && !shown([]).includes('Still waiting'));
  });
});
