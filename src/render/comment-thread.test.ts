import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../i18n/index.ts';
import type { PublicComment } from '../server/comments.ts';
import { renderCommentThread } from './comment-thread.ts';

const base: PublicComment = {
  id: 1, parentId: null, authorName: 'Ann', authorUrl: null, bodyHtml: '<p>hi</p>', createdAt: new Date('2026-11-01T08:00:00Z'), fromSite: false, pending: false, removed: false,
};

describe('renderCommentThread', () => {
  test('names and addresses are escaped, nested replies close in order, body HTML is the sanitised one', () => {
    const html = renderCommentThread(
      [{ comment: { ...base, authorName: '<script>x</script>', authorUrl: 'https://a.example/?a=1&b="2"' }, depth: 1, replies: [{ comment: { ...base, id: 2, parentId: 1 }, depth: 2, replies: [] }] }],
      'outage', true, createTranslator('en'),
    );
    assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;') && !html.includes('<script>'));
    assert.ok(html.includes('href="https://a.example/?a=1&amp;b=&quot;2&quot;"'));
    assert.match(html, /^<ol class="comment-list"><li class="comment" id="comment-1">.*<ol class="comment-replies"><li class="comment" id="comment-2">.*<\/li><\/ol><\/li><\/ol>$/s);
    assert.equal((html.match(/class="reply-link"/g) ?? []).length, 2);
  });

  test('a pending comment has its notice and no reply link; a removed one shows only the placeholder; closed threads have no reply links', () => {
    const de = createTranslator('de');
    const html = renderCommentThread([{ comment: { ...base, pending: true }, depth: 1, replies: [] }, { comment: { ...base, id: 3, removed: true, authorName: '' }, depth: 1, replies: [] }], 'p', true, de);
    assert.ok(html.includes('comment-card is-pending') && html.includes(de.t('comments.awaiting')) && html.includes(de.t('comments.removed')));
    assert.ok(!html.includes('reply-link'));
    assert.ok(!renderCommentThread([{ comment: base, depth: 1, replies: [] }], 'p', false, de).includes('reply-link'));
  });
});
