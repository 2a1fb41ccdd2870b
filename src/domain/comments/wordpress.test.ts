import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWordPressExport } from './wordpress.ts';
import { SAMPLE_EXPORT } from './wordpress.fixture.ts';


describe('parseWordPressExport', () => {
  test('reads posts with their comments, statuses, parents and GMT dates; skips pages and pings', () => {
    const posts = parseWordPressExport(SAMPLE_EXPORT);
    assert.deepEqual(posts.map((p) => [p.slug, p.comments.length, p.skippedPings]), [
      ['sip-trunk-registration-outage', 3, 1],
      ['a-post-we-did-not-keep', 1, 0],
    ]);
    const [first, reply, spam] = posts[0].comments;
    assert.equal(first.authorName, 'Ada & Co');
    assert.equal(first.authorUrl, 'https://ada.example.org');
    assert.equal(first.authorIp, '192.0.2.10');
    assert.equal(first.createdAt.toISOString(), '2024-03-01T09:15:00.000Z');
    assert.equal(first.html, 'Was <strong>TLS</strong> affected?');
    assert.equal(first.status, 'approved');
    assert.equal(reply.parentId, 11);
    assert.equal(reply.authorUrl, null);
    assert.equal(spam.status, 'spam');
    assert.equal(posts[1].comments[0].status, 'pending');
  });

  test('anything else is refused with a readable reason', () => {
    assert.throws(() => parseWordPressExport('<rss><channel></channel></rss>'), /not a WordPress export/);
    assert.throws(() => parseWordPressExport('not xml <<<'), /not (a valid XML file|a WordPress export)/);
  });
});
