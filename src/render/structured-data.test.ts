import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plainText, postJsonLd, scriptSafeJson, type StructuredCommentNode, type StructuredPost } from './structured-data.ts';

const post: StructuredPost = {
  title: 'The outage', description: 'What happened', url: 'https://blog.example/posts/outage',
  pubDate: new Date('2026-11-01T00:00:00Z'), author: { name: 'Priya Raman', url: 'https://blog.example/authors/priya' }, commentCount: 3,
};
const comment = (id: number, over: Partial<StructuredCommentNode['comment']> = {}, replies: StructuredCommentNode[] = []): StructuredCommentNode => ({
  comment: { id, authorName: `Reader ${id}`, bodyHtml: `<p>Comment ${id}</p>`, createdAt: new Date(Date.UTC(2026, 10, 2, 8, id)), pending: false, removed: false, ...over },
  replies,
});
const permalink = (id: number) => `https://blog.example/posts/outage#comment-${id}`;

describe('postJsonLd', () => {
  test('a BlogPosting with headline, author, dates, count, image and its comments', () => {
    const data = JSON.parse(postJsonLd({ ...post, updatedDate: new Date('2026-11-03T00:00:00Z'), image: 'https://blog.example/hero.webp' }, [comment(1, {}, [comment(2)])], permalink));
    assert.equal(data['@context'], 'https://schema.org');
    assert.equal(data['@type'], 'BlogPosting');
    assert.equal(data.headline, 'The outage');
    assert.deepEqual(data.author, { '@type': 'Person', name: 'Priya Raman', url: 'https://blog.example/authors/priya' });
    assert.equal(data.datePublished, '2026-11-01T00:00:00.000Z');
    assert.equal(data.dateModified, '2026-11-03T00:00:00.000Z');
    assert.equal(data.image, 'https://blog.example/hero.webp');
    assert.equal(data.commentCount, 3);
    assert.equal(data.url, post.url);
    assert.deepEqual(data.comment[0], {
      '@type': 'Comment', '@id': permalink(1), url: permalink(1), author: { '@type': 'Person', name: 'Reader 1' }, dateCreated: '2026-11-02T08:01:00.000Z', text: 'Comment 1',
      comment: [{ '@type': 'Comment', '@id': permalink(2), url: permalink(2), author: { '@type': 'Person', name: 'Reader 2' }, dateCreated: '2026-11-02T08:02:00.000Z', text: 'Comment 2' }],
    });
  });

  test('no dateModified or image when the post has none', () => {
    const data = JSON.parse(postJsonLd(post, [], permalink));
    assert.ok(!('dateModified' in data) && !('image' in data));
    assert.deepEqual(data.comment, []);
  });

  test('pending comments are left out; a removed comment\'s replies take its place', () => {
    const data = JSON.parse(postJsonLd(post, [comment(1, { pending: true }), comment(2, { removed: true, authorName: '' }, [comment(3)])], permalink));
    assert.deepEqual(data.comment.map((c: { url: string }) => c.url), [permalink(3)]);
  });

  test('comment text cannot close the script element', () => {
    const json = postJsonLd(post, [comment(1, { authorName: '</script><script>alert(1)</script>', bodyHtml: '<p>&lt;/script&gt;&lt;!-- x &amp; y</p>' })], permalink);
    assert.ok(!/[<>]/.test(json), json);
    const data = JSON.parse(json);
    assert.equal(data.comment[0].author.name, '</script><script>alert(1)</script>');
    assert.equal(data.comment[0].text, '</script><!-- x & y');
  });
});

describe('plainText', () => {
  test('keeps paragraphs and line breaks, drops markup, decodes entities', () => {
    assert.equal(plainText('<p>One <strong>bold</strong><br>two</p><blockquote><p>quoted &quot;x&quot;</p></blockquote><p><a href="https://a.example" rel="nofollow">link</a> &amp; more</p>'), 'One bold\ntwo\n\nquoted "x"\n\nlink & more');
  });
});

describe('scriptSafeJson', () => {
  test('line and paragraph separators are escaped too (old JavaScript parsers treat them as line ends)', () => {
    assert.equal(scriptSafeJson('a\u2028b\u2029'), '"a\\u2028b\\u2029"');
  });
});
