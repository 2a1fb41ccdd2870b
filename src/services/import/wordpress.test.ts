import { sql } from 'drizzle-orm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, selectRows } from '../../../db/testing.ts';
import { WordPressExportError } from '../../domain/comments/wordpress.ts';
import { HARD_EXPORT, HARD_ITEMS, SAMPLE_EXPORT, wxrExport } from '../../domain/comments/wordpress.fixture.ts';
import { loadCommentSection } from '../comments.ts';
import { importWordPressExport } from './wordpress.ts';
import type { PostSummary } from '../../domain/posts/posts.ts';

const secret = 'k'.repeat(64);
const slug = 'sip-trunk-registration-outage';
const other = 'how-we-test-failover';
const post = (s: string): PostSummary => ({ slug: s, title: 'x', description: '', pubDate: new Date('2024-01-01'), author: 'a', tags: [], commentsEnabled: true, readingMinutes: 1 });
const known = new Set([slug, other]);

type Row = Record<string, unknown>;
const rows = async (db: Awaited<ReturnType<typeof createTestDb>>): Promise<Row[]> =>
  (await selectRows(db, sql`select id, parent_id, post_slug, status, previous_status, author_name, author_email, author_url, body_source, body_html, client_hash, created_at, import_key from comments order by id`)) as Row[];
const byKey = async (db: Awaited<ReturnType<typeof createTestDb>>, id: number): Promise<Row> => (await rows(db)).find((r) => r.import_key === `wordpress:${id}`)!;

describe('importWordPressExport', () => {
  test('imports onto known posts with statuses and threads; runs again without duplicates', async () => {
    const db = await createTestDb();
    const first = await importWordPressExport(db, [SAMPLE_EXPORT], { knownSlugs: new Set([slug]), secret });
    assert.equal(first.imported, 3);
    assert.equal(first.alreadyImported, 0);
    assert.deepEqual(first.notes, [
      { kind: 'ping', sourceId: 14 },
      { kind: 'no-post', sourceId: 20, detail: 'post "a-post-we-did-not-keep"' },
    ]);
    const stored = await rows(db);
    assert.deepEqual(stored.map((r) => r.status), ['approved', 'approved', 'spam']);
    assert.equal(stored[0].author_url, 'https://ada.example.org/');
    assert.equal(stored[0].body_html, '<p>Was <strong>TLS</strong> affected?</p>');
    assert.match(String(stored[0].client_hash), /^[0-9a-f]{64}$/);
    assert.equal(stored[0].created_at, Date.parse('2024-03-01T09:15:00Z'));

    const thread = (await loadCommentSection(db, post(slug), [], null, new Date())).tree;
    assert.equal(thread.length, 1);
    assert.equal(thread[0].comment.authorName, 'Ada & Co');
    assert.equal(thread[0].replies[0].comment.bodyHtml, '<p>Yes, only TLS.</p>');

    const again = await importWordPressExport(db, [SAMPLE_EXPORT], { knownSlugs: new Set([slug]), secret });
    assert.equal(again.imported, 0);
    assert.equal(again.alreadyImported, 3);
    assert.equal((await rows(db)).length, 3);
  });

  test('the hard cases: every comment left out or changed is named by kind with its WordPress id', async () => {
    const db = await createTestDb();
    const report = await importWordPressExport(db, [HARD_EXPORT], { knownSlugs: known, secret });
    const notes = report.notes.map((n) => `${n.kind} ${n.sourceId}${n.detail ? ` ${n.detail}` : ''}`).sort();
    assert.deepEqual(notes, [
      'email-dropped 212',
      'empty 211',
      'long 207 12,499 characters',
      'name-changed 212 Anonymous',
      'no-post 401 page "about" (WordPress post id 5)',
      'other-type 213',
      'parent-missing 204 parent 205',
      'parent-other-post 203 parent 301 is on "how-we-test-failover"',
      'ping 205',
      'ping 206',
      'post-trashed 208 sip-trunk-registration-outage',
      'unknown-status 210',
      'website-dropped 212 javascript:alert(1)',
    ]);
    // 201, 202, 203, 204, 207, 208, 209, 212 on the first post; 301 on the other.
    assert.equal(report.imported, 9);

    const amp = await byKey(db, 201);
    assert.equal(amp.author_name, 'Amp & Sand');
    assert.equal(amp.author_url, 'https://amp.example/?a=1&b=2');
    assert.equal(
      String(amp.body_html).replace(/\n/g, ''),
      '<p>Use __init__ and C:\\Users\\me\\*.txt</p><p>[x](<a href="https://example.com/docs" rel="nofollow ugc noopener">https://example.com/docs</a>) is how<br />&gt; this is not a quote</p>',
    );
    // The reply came before its parent in the file and still found it.
    assert.equal((await byKey(db, 202)).parent_id, amp.id);
    // Parents on another post or not imported: top level, on the reply's own post.
    assert.equal((await byKey(db, 203)).parent_id, null);
    assert.equal((await byKey(db, 203)).post_slug, slug);
    assert.equal((await byKey(db, 204)).parent_id, null);
    // Kept whole, not cut.
    assert.equal((await byKey(db, 207)).body_source, 'x'.repeat(12_499));
    assert.deepEqual([(await byKey(db, 208)).status, (await byKey(db, 208)).previous_status], ['trash', 'approved']);
    assert.deepEqual([(await byKey(db, 209)).status, (await byKey(db, 209)).previous_status], ['trash', 'pending']);
    const odd = await byKey(db, 212);
    assert.deepEqual([odd.author_name, odd.author_email, odd.author_url], ['Anonymous', '', null]);

    // Every thread shows every approved comment it counts.
    const section = await loadCommentSection(db, post(slug), [], null, new Date());
    const shown = (nodes: typeof section.tree): number => nodes.reduce((n, node) => n + 1 + shown(node.replies), 0);
    assert.equal(shown(section.tree), (await rows(db)).filter((r) => r.post_slug === slug && r.status === 'approved').length);
  });

  test('a re-import brings only what is new, and new replies attach to comments imported before', async () => {
    const db = await createTestDb();
    const [first, second] = HARD_ITEMS;
    await importWordPressExport(db, [wxrExport([{ ...first, comments: first.comments.filter((c) => c.id === 201) }])], { knownSlugs: known, secret });
    const later = [
      { ...first, comments: [...first.comments.filter((c) => c.id === 201), { id: 250, parent: 201, content: 'A later reply' }, { id: 251, parent: 301, content: 'Reply across posts' }] },
      second,
    ];
    const report = await importWordPressExport(db, [wxrExport(later)], { knownSlugs: known, secret });
    assert.equal(report.imported, 3);
    assert.equal(report.alreadyImported, 1);
    assert.equal((await byKey(db, 250)).parent_id, (await byKey(db, 201)).id);
    assert.equal((await byKey(db, 251)).parent_id, null);
    assert.deepEqual(report.notes.map((n) => [n.kind, n.sourceId]), [['parent-other-post', 251]]);

    // A parent imported in an earlier run on another post is refused too.
    const third = await importWordPressExport(db, [wxrExport([{ ...first, comments: [{ id: 252, parent: 301, content: 'Again across' }] }])], { knownSlugs: known, secret });
    assert.equal((await byKey(db, 252)).parent_id, null);
    assert.deepEqual(third.notes.map((n) => [n.kind, n.sourceId]), [['parent-other-post', 252]]);
  });

  test('a file that fails half way leaves nothing; a dry run reports and leaves nothing', async () => {
    const db = await createTestDb();
    const cut = HARD_EXPORT.slice(0, HARD_EXPORT.indexOf('<wp:post_name><![CDATA[about'));
    await assert.rejects(() => importWordPressExport(db, [cut], { knownSlugs: known, secret }), WordPressExportError);
    assert.equal((await rows(db)).length, 0);

    const dry = await importWordPressExport(db, [HARD_EXPORT], { knownSlugs: known, secret, dryRun: true });
    assert.equal(dry.imported, 9);
    assert.equal((await rows(db)).length, 0);
  });
});
