import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DisqusExportReader, disqusThreadSlug, type DisqusThread } from './disqus.ts';
import { DISQUS_EXPORT } from './disqus.fixture.ts';
import { WordPressExportError, type WordPressComment } from './wordpress.ts';

type Read = { post: WordPressComment; thread: DisqusThread | undefined };

/** Everything the reader hands the importer, fed in chunks of `size` characters (whole when omitted). */
function read(xml: string, size = xml.length || 1): Read[] {
  const out: Read[] = [];
  const reader = new DisqusExportReader((post, thread) => out.push({ post, thread }));
  for (let i = 0; i < xml.length; i += size) reader.write(xml.slice(i, i + size));
  reader.close();
  return out;
}

/** A minimal Disqus export around the given threads and posts. */
const disqus = (body: string): string => `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">${body}</disqus>\n`;
const THREAD = '<thread dsq:id="1"><link>https://old.example.com/posts/hello/</link><title>Hello</title></thread>';
const post = (dsqId: string, inner: string): string => `<post dsq:id="${dsqId}">${inner}<thread dsq:id="1" /></post>`;
const author = '<author><email>a@example.com</email><name>A</name></author>';

describe('DisqusExportReader', () => {
  test('reads each post with its author, address, date, text, parent and thread, in file order', () => {
    const posts = read(DISQUS_EXPORT);
    assert.deepEqual(posts.map(({ post: p }) => p.id), [9002, 9001, 9003, 9004, 9005, 9006]);
    const [reply, first] = posts;
    assert.deepEqual(first.post, {
      id: 9001,
      parentId: null,
      // Disqus double-escapes: the XML entity gives `&amp;`, the HTML one `&`.
      authorName: 'Amp & Sand',
      authorEmail: 'amp@example.com',
      authorUrl: null,
      authorIp: '192.0.2.4',
      createdAt: new Date('2020-01-02T10:00:00Z'),
      html: '<p>Was <b>TLS</b> affected?<br>Asking for\na friend.</p><p>See <a href="https://status.example.com/" rel="nofollow noopener" title="https://status.example.com/">status.example.com</a></p>',
      approved: '1',
      type: '',
      statusBeforeTrash: null,
    });
    assert.equal(reply.post.parentId, 9001);
    assert.equal(reply.post.authorName, 'Bo');
    assert.equal(reply.post.authorIp, '192.0.2.5');
    assert.deepEqual(first.thread, {
      id: '7001',
      link: 'https://old.example.com/posts/sip-trunk-registration-outage/',
      identifier: 'https://old.example.com/posts/sip-trunk-registration-outage/',
      title: 'Outage on Tuesday',
    });
    assert.deepEqual(posts[3].thread, { id: '7002', link: 'https://old.example.com/2019/05/failover.html', identifier: '42', title: 'Failover' });
    // A thread without <id> has an empty identifier; a post without <ipAddress> has no address.
    assert.equal(posts[5].thread?.identifier, '');
    assert.equal(posts[5].post.authorIp, null);
  });

  test('spam stays spam, a deleted post goes to the trash remembering it was published, and spam wins over deleted', () => {
    const byId = new Map(read(DISQUS_EXPORT).map(({ post: p }) => [p.id, p]));
    assert.deepEqual([byId.get(9003)!.approved, byId.get(9003)!.statusBeforeTrash], ['spam', null]);
    assert.deepEqual([byId.get(9004)!.approved, byId.get(9004)!.statusBeforeTrash], ['trash', '1']);
    const [both] = read(disqus(THREAD + post('5', `${author}<message>x</message><createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>true</isDeleted><isSpam>true</isSpam>`)));
    assert.deepEqual([both.post.approved, both.post.statusBeforeTrash], ['spam', null]);
    // Only the word "true" counts (Disqus writes true/false); padding around it is ignored.
    const [padded] = read(disqus(THREAD + post('6', `${author}<message>x</message><createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted> true </isDeleted><isSpam>yes</isSpam>`)));
    assert.deepEqual([padded.post.approved, padded.post.statusBeforeTrash], ['trash', '1']);
  });

  test('an author without a display name is shown by username; the message keeps its HTML, trimmed', () => {
    const [p] = read(disqus(THREAD + post('7', '<author><email> u@example.com </email><name></name><username>quietuser</username></author><message>  <![CDATA[<p>Hi &amp; bye</p>]]>\n </message><createdAt>2020-01-01T00:00:00Z</createdAt>')));
    assert.equal(p.post.authorName, 'quietuser');
    assert.equal(p.post.authorEmail, 'u@example.com');
    assert.equal(p.post.html, '<p>Hi &amp; bye</p>');
  });

  test('missing or unreadable ids and dates come out as NaN and null, for the importer to leave out', () => {
    const [noDate, badId] = read(
      disqus(
        THREAD +
          post('8', `${author}<message>a</message><createdAt>yesterday</createdAt><parent dsq:id="x1" />`) +
          post('12ab', `${author}<message>b</message><parent dsq:id="1234567890123456" />`),
      ),
    );
    assert.equal(noDate.post.id, 8);
    assert.equal(noDate.post.createdAt, null);
    assert.equal(noDate.post.parentId, null);
    assert.ok(Number.isNaN(badId.post.id));
    assert.equal(badId.post.createdAt, null);
    // Sixteen digits is not a Disqus id (they fit in 15) and must not become a rounded number.
    assert.equal(badId.post.parentId, null);
    const [padded] = read(disqus(THREAD + post('13', `${author}<message>c</message><parent dsq:id=" 12 " />`)));
    assert.equal(padded.post.parentId, 12);
  });

  test('a post whose thread is not in the file gets no thread; a post before its thread is not matched later', () => {
    const [orphan] = read(disqus(`<post dsq:id="9">${author}<message>m</message><thread dsq:id="404" /></post>`));
    assert.equal(orphan.thread, undefined);
    const [early] = read(disqus(post('10', `${author}<message>m</message>`) + THREAD));
    assert.equal(early.thread, undefined);
  });

  test('nested markup inside fields other than author is not read as fields of the post', () => {
    const [p] = read(disqus(THREAD + post('11', `${author}<message>kept</message><extra><name>Not the author</name></extra>`)));
    assert.equal(p.post.authorName, 'A');
    assert.equal(p.post.html, 'kept');
  });

  test('reading in chunks of any size gives the same posts as reading at once', () => {
    const whole = read(DISQUS_EXPORT);
    for (const size of [1, 5, 63, 64, 65, 1000]) assert.deepEqual(read(DISQUS_EXPORT, size), whole, `chunks of ${size}`);
  });

  test('a file that is not a readable Disqus export is refused with one line naming line and column', () => {
    const cases: [string, string, RegExp][] = [
      ['a WordPress export', '<?xml version="1.0"?>\n<rss version="2.0"></rss>', /^line 2, column \d+: not a Disqus export \(it starts with <rss>, a Disqus export starts with <disqus>\)$/],
      ['empty', '', /^line 1, column 1: not an XML file \(it is empty or has no element\)$/],
      ['cut short', DISQUS_EXPORT.slice(0, DISQUS_EXPORT.indexOf('</disqus>')), /^line \d+, column \d+: the file ends inside <disqus> \(is it cut short\?\)$/],
      ['mismatched tags', disqus(THREAD.replace('</title>', '</titel>')), /^line 2, column \d+: not well-formed XML \(unexpected close tag\)$/],
      ['an HTML entity outside CDATA', disqus(THREAD.replace('Hello', 'Hello&nbsp;you')), /^line 2, column 162: "&nbsp;" is not an XML entity \(XML knows &amp; &lt; &gt; &quot; &apos; and numeric ones; text with & belongs in CDATA\)$/],
    ];
    for (const [what, xml, message] of cases) {
      assert.throws(
        () => read(xml),
        (error: unknown) => error instanceof WordPressExportError && message.test(error.message),
        what,
      );
    }
  });
});

describe('disqusThreadSlug', () => {
  test('takes the segment after /posts/, else the last one without .html; a mapping by slug or whole link wins', () => {
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/dns-ttl/' }), 'dns-ttl');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/blog/posts/dns-ttl/amp/' }), 'dns-ttl');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/2019/05/Failover.HTM' }), 'Failover');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/2019/05/failover.html?utm=x#c' }), 'failover');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/' }), 'posts');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/' }), '');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/caf%C3%A9/' }), 'café');
    const map = new Map([['failover', 'how-we-test-failover'], ['https://old.example.com/x', 'y']]);
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/2019/05/failover.html' }, map), 'how-we-test-failover');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/x' }, map), 'y');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/other/' }, map), 'other');
  });

  test('a link that is not a URL (an old relative path) is read as a path', () => {
    assert.equal(disqusThreadSlug({ link: '/posts/relative-one/' }), 'relative-one');
    assert.equal(disqusThreadSlug({ link: 'archive/old-post.html' }), 'old-post');
    assert.equal(disqusThreadSlug({ link: 'posts/relative-two/amp' }), 'relative-two');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/dns-ttl/amp/' }), 'dns-ttl');
    // Only a trailing .html is dropped.
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/notes/v2.html.old' }), 'v2.html.old');
  });
});
