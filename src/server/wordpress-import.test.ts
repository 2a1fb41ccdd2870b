import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { parseWordPressExport } from '../domain/comments/wordpress.ts';
import { SAMPLE_EXPORT } from '../domain/comments/wordpress.fixture.ts';
import { loadCommentSection } from './comments.ts';
import { importWordPressComments } from './wordpress-import.ts';
import type { PostSummary } from '../domain/posts/posts.ts';

const secret = 'k'.repeat(64);
const slug = 'sip-trunk-registration-outage';
const post: PostSummary = { slug, title: 'x', description: '', pubDate: new Date('2024-01-01'), author: 'a', tags: [], commentsEnabled: true, readingMinutes: 1 };

describe('importWordPressComments', () => {
  test('imports onto known posts with statuses and threads; reports what it left out; runs again without duplicates', () => {
    const db = createTestDb();
    const posts = parseWordPressExport(SAMPLE_EXPORT);
    const first = importWordPressComments(db, posts, new Set([slug]), secret);
    assert.deepEqual(first, { imported: 3, alreadyImported: 0, unknownPosts: [{ slug: 'a-post-we-did-not-keep', comments: 1 }], skipped: 1 });

    const rows = db.$client.prepare('select author_name, author_email, author_url, status, body_html, client_hash, created_at from comments order by id').all() as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => r.status), ['approved', 'approved', 'spam']);
    assert.equal(rows[0].author_url, 'https://ada.example.org/');
    assert.equal(rows[0].body_html, '<p>Was <strong>TLS</strong> affected?</p>');
    assert.match(String(rows[0].client_hash), /^[0-9a-f]{64}$/);
    assert.equal(rows[0].created_at, Date.parse('2024-03-01T09:15:00Z'));

    const thread = loadCommentSection(db, post, [], null, new Date()).tree;
    assert.equal(thread.length, 1);
    assert.equal(thread[0].comment.authorName, 'Ada & Co');
    assert.equal(thread[0].replies[0].comment.bodyHtml, '<p>Yes, only TLS.</p>');

    const again = importWordPressComments(db, posts, new Set([slug]), secret);
    assert.equal(again.imported, 0);
    assert.equal(again.alreadyImported, 3);
    assert.equal(db.$client.prepare('select count(*) from comments').pluck().get(), 3);
  });
});
