import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../i18n/index.ts';
import type { CommentNode } from '../domain/comments/threading.ts';
import type { PublicComment } from '../domain/comments/types.ts';
import { renderCommentThread, renderCommentThreadBytes } from './comment-thread.ts';

const base: PublicComment = {
  id: 1, parentId: null, authorName: 'Ann', authorUrl: null, bodyHtml: '<p>hi</p>', createdAt: new Date('2026-11-01T08:00:00Z'), fromSite: false, pending: false, removed: false, pinnedAt: null,
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

  test('a pinned comment is marked "Pinned" (en) / "Angeheftet" (de); others are not', () => {
    const thread = [{ comment: { ...base, pinnedAt: new Date('2026-11-02T08:00:00Z') }, depth: 1, replies: [] }, { comment: { ...base, id: 2 }, depth: 1, replies: [] }];
    for (const [locale, word] of [['en', 'Pinned'], ['de', 'Angeheftet']] as const) {
      const html = renderCommentThread(thread, 'p', true, createTranslator(locale));
      assert.equal((html.match(new RegExp(`<span class="badge badge-pinned">${word}</span>`, 'g')) ?? []).length, 1);
      assert.match(html, /<li class="comment" id="comment-1"><article class="comment-card is-pinned">/);
    }
  });

  test('on a later comment page, reply links keep the page and permalinks name each thread\'s default-order page', () => {
    const reply = { comment: { ...base, id: 2, parentId: 1 }, depth: 2, replies: [] };
    const html = renderCommentThread(
      [{ comment: base, depth: 1, replies: [reply] }, { comment: { ...base, id: 3 }, depth: 1, replies: [] }],
      'outage', true, createTranslator('en'),
      { links: { pageQuery: '?cpage=2&corder=newest', permalinkQueries: ['?cpage=3', ''] } },
    );
    assert.ok(html.includes('href="?cpage=2&amp;corder=newest&amp;replyto=1#respond"'));
    assert.ok(html.includes('href="?cpage=2&amp;corder=newest&amp;replyto=2#respond"'));
    // The reply's permalink is its thread's page; the second thread is on page 1.
    assert.ok(html.includes('href="/posts/outage?cpage=3#comment-1"'));
    assert.ok(html.includes('href="/posts/outage?cpage=3#comment-2"'));
    assert.ok(html.includes('href="/posts/outage#comment-3"'));
  });

  test('without pages, links are the plain post URL and ?replyto=', () => {
    const html = renderCommentThread([{ comment: base, depth: 1, replies: [] }], 'outage', true, createTranslator('en'));
    assert.ok(html.includes('href="?replyto=1#respond"') && html.includes('href="/posts/outage#comment-1"'));
  });

  test('a comment with an avatar colour shows its initials as a decorative avatar; a removed one none', () => {
    const html = renderCommentThread([{ comment: { ...base, authorName: 'Dana <Whitfield>', avatarHue: 217 }, depth: 1, replies: [] }, { comment: { ...base, id: 3, removed: true, authorName: '' }, depth: 1, replies: [] }], 'p', true, createTranslator('en'));
    assert.ok(html.includes('<span class="comment-avatar avatar-hue-7" aria-hidden="true">DW</span>'), html);
    assert.equal((html.match(/comment-avatar/g) ?? []).length, 1);
  });
});

describe('renderCommentThread: one comment card', () => {
  const en = createTranslator('en');
  const one = (comment: Partial<PublicComment>, canReply = true, slug = 'outage') =>
    renderCommentThread([{ comment: { ...base, ...comment }, depth: 1, replies: [] }], slug, canReply, en);

  test('a team reply carries the team badge; a reader comment does not', () => {
    assert.ok(one({ fromSite: true }).includes(`<span class="badge">${en.t('comments.fromSite')}</span>`));
    assert.ok(!one({}).includes('class="badge'));
  });

  test('the author is a nofollow link only when they gave a website, and reply links name the author for screen readers', () => {
    const linked = one({ id: 7, authorName: "O'Brien", authorUrl: 'https://ob.example/' });
    assert.ok(linked.includes(`<a class="comment-author" id="comment-7-author" href="https://ob.example/" rel="nofollow ugc noopener">O&#39;Brien</a>`));
    assert.ok(linked.includes(`<a class="reply-link" href="?replyto=7#respond" aria-describedby="comment-7-author" data-reply-to="7">${en.t('comments.reply')}</a>`));
    const plain = one({ id: 8 });
    assert.ok(plain.includes('<span class="comment-author" id="comment-8-author">Ann</span>'));
    assert.ok(!plain.includes('rel="nofollow'));
  });

  test('the date links to the comment on its post, with a machine-readable time', () => {
    const html = one({ id: 9, createdAt: new Date('2026-11-01T08:30:00Z') }, true, 'dns-"ttl"');
    assert.ok(html.includes(`<a class="permalink" href="/posts/dns-&quot;ttl&quot;#comment-9" title="${en.t('comments.permalink')}">`));
    assert.ok(html.includes(`<time datetime="2026-11-01T08:30:00.000Z">${en.formatDateTime(new Date('2026-11-01T08:30:00Z'))}</time>`));
    assert.ok(html.includes('<div class="comment-body"><p>hi</p></div>'));
  });

  test('an own comment awaiting moderation is marked and explained; a published one is not', () => {
    const pending = one({ pending: true });
    assert.ok(pending.includes(`<span class="badge badge-pending">${en.t('comments.awaitingBadge')}</span>`));
    assert.ok(pending.includes(`<p class="hint pending-note">${en.t('comments.awaiting')}</p>`));
    const published = one({});
    assert.ok(published.includes('<article class="comment-card">'));
    assert.ok(!published.includes('pending'));
  });

  test('a removed comment shows nothing of its author or text', () => {
    const html = one({ removed: true, authorName: 'Secret Name', bodyHtml: '<p>secret text</p>', authorUrl: 'https://secret.example/' });
    assert.equal(html, `<ol class="comment-list"><li class="comment" id="comment-1"><div class="comment-card"><p class="comment-removed">${en.t('comments.removed')}</p></div></li></ol>`);
  });

  test('siblings and deeper replies come out in order, each list closed where it belongs', () => {
    const node = (id: number, replies: CommentNode<PublicComment>[] = []): CommentNode<PublicComment> => ({ comment: { ...base, id }, depth: 1, replies });
    const html = renderCommentThread([node(1, [node(2, [node(3)]), node(4)]), node(5)], 'p', false, en);
    const skeleton = html.replace(/<(article|div)[\s\S]*?<\/\1>/g, '');
    assert.equal(
      skeleton,
      '<ol class="comment-list"><li class="comment" id="comment-1"><ol class="comment-replies"><li class="comment" id="comment-2"><ol class="comment-replies"><li class="comment" id="comment-3"></li></ol></li><li class="comment" id="comment-4"></li></ol></li><li class="comment" id="comment-5"></li></ol>',
    );
    assert.equal(renderCommentThread([], 'p', true, en), '<ol class="comment-list"></ol>');
  });
});

describe('additions to cards', () => {
  const en = createTranslator('en');
  const thread: CommentNode<PublicComment>[] = [
    { comment: base, depth: 1, replies: [{ comment: { ...base, id: 2, parentId: 1 }, depth: 2, replies: [] }] },
    { comment: { ...base, id: 3, removed: true, authorName: '' }, depth: 1, replies: [] },
  ];

  test('go at the end of the named card only, before its replies, and skip removed or absent comments', () => {
    const additions = new Map([[1, '<p>OWN-1</p>'], [3, '<p>OWN-3</p>'], [9, '<p>OWN-9</p>']]);
    const out = renderCommentThread(thread, 'p', true, en, { additions });
    assert.match(out, /<li class="comment" id="comment-1"><article[^]*<p>OWN-1<\/p><\/article><ol class="comment-replies"><li class="comment" id="comment-2">/);
    assert.ok(!out.includes('OWN-3') && !out.includes('OWN-9'));
    assert.equal(renderCommentThread(thread, 'p', true, en, { additions: new Map() }), renderCommentThread(thread, 'p', true, en));
  });

  test('never stay in the kept cards: the next viewer gets the card without them', () => {
    const cards = new Map<number, string>();
    renderCommentThread(thread, 'p', true, en, { cards, additions: new Map([[1, '<p>OWN-1</p>']]) });
    assert.ok(cards.has(1) && ![...cards.values()].some((card) => card.includes('OWN-1')));
    assert.ok(!renderCommentThread(thread, 'p', true, en, { cards }).includes('OWN-1'));
  });
});

describe('renderCommentThreadBytes', () => {
  test('is the thread’s HTML as UTF-8, whatever the scripts and characters in it', () => {
    const en = createTranslator('en');
    const thread: CommentNode<PublicComment>[] = [
      { comment: { ...base, authorName: 'Zoë “Ops” 王', bodyHtml: '<p>Ünïcode — 🚒 and &lt;tags&gt;</p>' }, depth: 1, replies: [{ comment: { ...base, id: 2, parentId: 1, authorName: 'Ivan Иванов' }, depth: 2, replies: [] }] },
      { comment: { ...base, id: 3, removed: true, authorName: '' }, depth: 1, replies: [] },
    ];
    const render = { additions: new Map([[2, '<p class="hint">Bearbeiten – möglich</p>']]) };
    const bytes = renderCommentThreadBytes(thread, 'p', true, en, render);
    assert.equal(bytes.toString('utf8'), renderCommentThread(thread, 'p', true, en, render));
    assert.ok(bytes.toString('utf8').includes('🚒') && bytes.toString('utf8').includes('Bearbeiten – möglich'));
  });
});
