import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeWordPressComment, parseWordPressExport, WordPressExportError, WordPressExportReader, type WordPressItem } from './wordpress.ts';
import { HARD_EXPORT, SAMPLE_EXPORT } from './wordpress.fixture.ts';

describe('parseWordPressExport', () => {
  test('reads items with their comments, statuses, parents and GMT dates; items without comments are left out', () => {
    const items = parseWordPressExport(SAMPLE_EXPORT);
    assert.deepEqual(items.map((p) => [p.slug, p.type, p.comments.length]), [
      ['sip-trunk-registration-outage', 'post', 4],
      ['a-post-we-did-not-keep', 'post', 1],
    ]);
    const [first, reply, spam, ping] = items[0].comments;
    assert.equal(first.authorName, 'Ada & Co');
    assert.equal(first.authorUrl, 'https://ada.example.org');
    assert.equal(first.authorIp, '192.0.2.10');
    assert.equal(first.createdAt?.toISOString(), '2024-03-01T09:15:00.000Z');
    assert.equal(first.html, 'Was <strong>TLS</strong> affected?');
    assert.equal(first.approved, '1');
    assert.equal(reply.parentId, 11);
    assert.equal(reply.authorUrl, null);
    assert.equal(spam.approved, 'spam');
    assert.equal(ping.type, 'pingback');
  });

  test('HTML entities in text fields are decoded as WordPress shows them', () => {
    const comment = parseWordPressExport(HARD_EXPORT)[0].comments.find((c) => c.id === 201)!;
    assert.equal(comment.authorName, 'Amp & Sand');
    assert.equal(comment.authorUrl, 'https://amp.example/?a=1&b=2');
    // The content stays HTML: the renderer's converter decodes it (and keeps &gt; as text).
    assert.match(comment.html, /&gt; this is not a quote$/);
  });

  test('reading in chunks of any size gives the same items as reading at once', () => {
    const whole = parseWordPressExport(HARD_EXPORT);
    for (const size of [1, 7, 64, 4096]) {
      const items: WordPressItem[] = [];
      const reader = new WordPressExportReader((item) => items.push(item));
      for (let i = 0; i < HARD_EXPORT.length; i += size) reader.write(HARD_EXPORT.slice(i, i + size));
      reader.close();
      assert.deepEqual(items, whole, `chunks of ${size}`);
    }
  });

  test('a malformed file is refused with one line naming line and column', () => {
    const cutAfterComment = SAMPLE_EXPORT.slice(0, SAMPLE_EXPORT.indexOf('</wp:comment>') + '</wp:comment>'.length);
    const cases: [string, string, RegExp][] = [
      ['empty', '', /^line 1, column 1: not an XML file/],
      ['not XML', 'hello, this is text', /^line 1, column \d+: not an XML file/],
      ['another XML file', '<?xml version="1.0"?>\n<html><body/></html>', /^line 2, column \d+: not a WordPress export \(it starts with <html>/],
      ['RSS without WordPress', '<rss><channel><item><title>x</title></item></channel></rss>', /^line 1, column \d+: not a WordPress export/],
      ['cut short right after a comment', cutAfterComment, /^line 22, column \d+: the file ends inside <item> \(is it cut short\?\)$/],
      ['an HTML entity outside CDATA', SAMPLE_EXPORT.replace('<title>Outage on Tuesday</title>', '<title>Outage&nbsp;on Tuesday</title>'), /^line 7, column 18: "&nbsp;" is not an XML entity/],
      ['a bare ampersand', SAMPLE_EXPORT.replace('<title>Outage on Tuesday</title>', '<title>Outage & more</title>'), /^line 7, column 19: "&" is not an XML entity/],
      ['mismatched tags', SAMPLE_EXPORT.replace('<wp:comment_parent>11</wp:comment_parent>', '<wp:comment_parent>11</wp:parent>'), /^line 32, column \d+: not well-formed XML/],
    ];
    for (const [what, xml, message] of cases) {
      assert.throws(
        () => parseWordPressExport(xml),
        (error: unknown) => error instanceof WordPressExportError && !error.message.includes('\n') && message.test(error.message),
        what,
      );
    }
  });
});

describe('judgeWordPressComment', () => {
  const comments = new Map(parseWordPressExport(HARD_EXPORT)[0].comments.map((c) => [c.id, c]));
  test('statuses carry over; post-trashed and trash remember what they were', () => {
    assert.deepEqual(judgeWordPressComment(comments.get(201)!), { import: true, status: 'approved', previousStatus: null, fromTrashedPost: false });
    assert.deepEqual(judgeWordPressComment(comments.get(208)!), { import: true, status: 'trash', previousStatus: 'approved', fromTrashedPost: true });
    assert.deepEqual(judgeWordPressComment(comments.get(209)!), { import: true, status: 'trash', previousStatus: 'pending', fromTrashedPost: false });
  });
  test('pings, other types and unknown statuses are left out with a reason', () => {
    assert.deepEqual(judgeWordPressComment(comments.get(205)!), { import: false, reason: 'ping' });
    assert.deepEqual(judgeWordPressComment(comments.get(206)!), { import: false, reason: 'ping' });
    assert.deepEqual(judgeWordPressComment(comments.get(210)!), { import: false, reason: 'unknown-status' });
    assert.deepEqual(judgeWordPressComment(comments.get(213)!), { import: false, reason: 'other-type' });
  });
});
