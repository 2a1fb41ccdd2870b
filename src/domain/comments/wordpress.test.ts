import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, judgeWordPressComment, parseWordPressExport, WordPressExportError, WordPressExportReader, type WordPressComment, type WordPressItem } from './wordpress.ts';
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

/** A WordPress comment as the reader gives it, with plausible values for what a case leaves out. */
const wpComment = (over: Partial<WordPressComment> = {}): WordPressComment => ({
  id: 1,
  parentId: null,
  authorName: 'Ada',
  authorEmail: 'ada@example.com',
  authorUrl: null,
  authorIp: null,
  createdAt: new Date('2024-03-01T09:15:00Z'),
  html: 'Hi',
  approved: '1',
  type: '',
  statusBeforeTrash: null,
  ...over,
});

describe('judgeWordPressComment: what is imported and with which status', () => {
  test('each WordPress status maps to ours; reader comments and WooCommerce reviews are imported', () => {
    for (const [approved, status] of [['1', 'approved'], ['0', 'pending'], ['spam', 'spam'], ['trash', 'trash']] as const) {
      for (const type of ['', 'comment', 'review']) {
        assert.deepEqual(judgeWordPressComment(wpComment({ approved, type })), { import: true, status, previousStatus: null, fromTrashedPost: false }, `${approved}/${type}`);
      }
    }
  });

  test('a comment without a usable id or date is left out, saying which', () => {
    for (const id of [NaN, 0, -3, 1.5]) assert.deepEqual(judgeWordPressComment(wpComment({ id })), { import: false, reason: 'no-id' }, String(id));
    assert.deepEqual(judgeWordPressComment(wpComment({ createdAt: null })), { import: false, reason: 'no-date' });
    // A ping is left out as a ping even when it also lacks an id.
    assert.deepEqual(judgeWordPressComment(wpComment({ type: 'pingback', id: NaN })), { import: false, reason: 'ping' });
  });

  test('Restore brings a trashed comment back to what it was; without a record it stays in the trash', () => {
    const trashed = (statusBeforeTrash: string | null) => judgeWordPressComment(wpComment({ approved: 'trash', statusBeforeTrash }));
    assert.deepEqual(trashed('1'), { import: true, status: 'trash', previousStatus: 'approved', fromTrashedPost: false });
    assert.deepEqual(trashed('spam'), { import: true, status: 'trash', previousStatus: 'spam', fromTrashedPost: false });
    assert.deepEqual(trashed(null), { import: true, status: 'trash', previousStatus: null, fromTrashedPost: false });
    assert.deepEqual(trashed('post-trashed'), { import: true, status: 'trash', previousStatus: null, fromTrashedPost: false });
    // A stale trash record on a published comment does not matter.
    assert.deepEqual(judgeWordPressComment(wpComment({ statusBeforeTrash: '0' })), { import: true, status: 'approved', previousStatus: null, fromTrashedPost: false });
  });

  test('a comment on a trashed post goes to the trash; Restore publishes it unless it was held before', () => {
    const onTrashedPost = (statusBeforeTrash: string | null) => judgeWordPressComment(wpComment({ approved: 'post-trashed', statusBeforeTrash }));
    assert.deepEqual(onTrashedPost(null), { import: true, status: 'trash', previousStatus: 'approved', fromTrashedPost: true });
    assert.deepEqual(onTrashedPost('unknown'), { import: true, status: 'trash', previousStatus: 'approved', fromTrashedPost: true });
    assert.deepEqual(onTrashedPost('0'), { import: true, status: 'trash', previousStatus: 'pending', fromTrashedPost: true });
  });
});

/** Asserts that reading throws a one-line WordPressExportError whose message matches. */
function refused(read: () => unknown, message: RegExp, what?: string): void {
  assert.throws(read, (error: unknown) => error instanceof WordPressExportError && !error.message.includes('\n') && message.test(error.message), what);
}

describe('WordPressExportReader: fields', () => {
  const NS = 'xmlns:wp="http://wordpress.org/export/1.2/"';
  const one = (commentXml: string, itemXml = '<wp:post_name>p</wp:post_name>'): WordPressComment =>
    parseWordPressExport(`<rss ${NS}><channel><item>${itemXml}<wp:comment><wp:comment_id>5</wp:comment_id>${commentXml}</wp:comment></item></channel></rss>`)[0].comments[0];

  test('the GMT date is used; a missing or zero one falls back to the local date; none at all gives no date', () => {
    const date = (gmt: string, local: string) => one(`<wp:comment_date>${local}</wp:comment_date><wp:comment_date_gmt>${gmt}</wp:comment_date_gmt>`).createdAt?.toISOString() ?? null;
    assert.equal(date('2024-03-01 09:15:00', '2024-03-01 10:15:00'), '2024-03-01T09:15:00.000Z');
    assert.equal(date('0000-00-00 00:00:00', '2024-03-01 10:15:00'), '2024-03-01T10:15:00.000Z');
    assert.equal(date(' ', ' 2024-03-01 10:15:00 '), '2024-03-01T10:15:00.000Z');
    assert.equal(date('2024-13-01 09:15:00', '2024-03-01 10:15:00'), '2024-03-01T10:15:00.000Z');
    assert.equal(date('0000-00-00 00:00:00', '0000-00-00 00:00:00'), null);
    assert.equal(date('2024-03-01T09:15:00', '1 March 2024'), null);
    assert.equal(date('2024-03-01 09:15:00 extra', ''), null);
  });

  test('ids and parents: padding is fine, 0 or junk means none', () => {
    assert.equal(one('<wp:comment_parent> 11 </wp:comment_parent>').parentId, 11);
    assert.equal(one('<wp:comment_parent>0</wp:comment_parent>').parentId, null);
    assert.equal(one('<wp:comment_parent>-4</wp:comment_parent>').parentId, null);
    assert.equal(one('<wp:comment_parent>12a</wp:comment_parent>').parentId, null);
    assert.equal(one('').parentId, null);
    const [item] = parseWordPressExport(`<rss ${NS}><channel><item><wp:post_id> 7 </wp:post_id><wp:comment><wp:comment_id>x</wp:comment_id></wp:comment></item></channel></rss>`);
    assert.equal(item.postId, 7);
    assert.ok(Number.isNaN(item.comments[0].id));
  });

  test('text fields are trimmed; empty website and address read as none', () => {
    const c = one('<wp:comment_author>  Bo  </wp:comment_author><wp:comment_author_email> bo@example.com </wp:comment_author_email><wp:comment_author_url> </wp:comment_author_url><wp:comment_author_IP></wp:comment_author_IP><wp:comment_content>\n  <![CDATA[hi <b>there</b>]]>\n</wp:comment_content><wp:comment_approved> 0 </wp:comment_approved><wp:comment_type> comment </wp:comment_type>');
    assert.deepEqual(
      [c.authorName, c.authorEmail, c.authorUrl, c.authorIp, c.html, c.approved, c.type],
      ['Bo', 'bo@example.com', null, null, 'hi <b>there</b>', '0', 'comment'],
    );
  });

  test('only the trash-status comment meta is read; post meta and other comment meta are not comment fields', () => {
    const meta = (key: string, value: string) => `<wp:commentmeta><wp:meta_key>${key}</wp:meta_key><wp:meta_value> ${value} </wp:meta_value></wp:commentmeta>`;
    assert.equal(one(meta('akismet_result', 'true') + meta('_wp_trash_meta_status', '0')).statusBeforeTrash, '0');
    assert.equal(one(meta('akismet_result', '1')).statusBeforeTrash, null);
    // A meta value named like a comment field must not overwrite the comment's own field.
    assert.equal(one(`<wp:comment_author>Ada</wp:comment_author><wp:commentmeta><wp:meta_key>k</wp:meta_key><wp:comment_author>Eve</wp:comment_author></wp:commentmeta>`).authorName, 'Ada');
    const [item] = parseWordPressExport(
      `<rss ${NS}><channel><title>Blog</title><item><wp:postmeta><wp:meta_key>title</wp:meta_key><title>Nested</title></wp:postmeta><title>Real &amp;amp; title</title><wp:post_type>page</wp:post_type><wp:post_name>p</wp:post_name><wp:comment><wp:comment_id>1</wp:comment_id><title>not the post</title></wp:comment></item></channel></rss>`,
    );
    assert.deepEqual([item.title, item.type, item.slug], ['Real & title', 'page', 'p']);
  });

  test('WordPress is recognised by its namespace or wp:wxr_version, which must come before the first item', () => {
    assert.deepEqual(parseWordPressExport(`<rss ${NS}><channel/></rss>`), []);
    assert.deepEqual(parseWordPressExport('<rss><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>'), []);
    refused(() => parseWordPressExport('<rss xmlns:wp="http://example.org/export/"><channel/></rss>'), /^line 1, column \d+: not a WordPress export \(no WordPress export namespace or wp:wxr_version\)$/);
    refused(
      () => parseWordPressExport('<rss><channel><item><wp:comment><wp:comment_id>1</wp:comment_id></wp:comment></item><wp:wxr_version>1.2</wp:wxr_version></channel></rss>'),
      /^line 1, column \d+: not a WordPress export \(no WordPress export namespace or wp:wxr_version before the first item\)$/,
    );
  });

  test('ampersands inside CDATA, XML comments and processing instructions are fine; after them they are caught', () => {
    const body = `<?xml-stylesheet href="a.xsl?x=1&y=2"?><rss ${NS}><channel><!-- Q&A --><title><![CDATA[Q&A]]></title>`;
    assert.deepEqual(parseWordPressExport(`${body}</channel></rss>`), []);
    refused(() => parseWordPressExport(`${body}\n<title>Q&A</title></channel></rss>`), /^line 2, column 9: "&A" is not an XML entity/);
  });

  test('a bad ampersand is found at its own line and column, however the file is cut into chunks', () => {
    const xml = SAMPLE_EXPORT.replace('<title>Outage on Tuesday</title>', '<title>Outage & more</title>');
    for (const size of [1, 10, 63, 64, 65, 500]) {
      const reader = new WordPressExportReader(() => {});
      refused(() => {
        for (let i = 0; i < xml.length; i += size) reader.write(xml.slice(i, i + size));
        reader.close();
      }, /^line 7, column 19: "&" is not an XML entity/, `chunks of ${size}`);
    }
  });

  test('saxes messages are said the way someone holding an export understands them', () => {
    assert.equal(explain('unclosed tag: channel'), 'the file ends inside <channel> (is it cut short?)');
    assert.equal(explain('document must contain a root element'), 'not an XML file (it is empty or has no element)');
    assert.equal(explain('text data outside of root node'), 'not an XML file (text outside the <rss> element)');
    assert.equal(explain('disallowed character'), 'not well-formed XML (disallowed character)');
    refused(() => parseWordPressExport(`<rss ${NS}></rss>trailing`), /^line 1, column \d+: not an XML file \(text outside the <rss> element\)$/);
  });
});
