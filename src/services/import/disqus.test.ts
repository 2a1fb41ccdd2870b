import { sql } from 'drizzle-orm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, selectRows } from '../../../db/testing.ts';
import { disqusThreadSlug } from '../../domain/comments/disqus.ts';
import { DISQUS_EXPORT } from '../../domain/comments/disqus.fixture.ts';
import { WordPressExportError } from '../../domain/comments/wordpress.ts';
import { importDisqusExport } from './disqus.ts';

const secret = 'k'.repeat(64);
const known = new Set(['sip-trunk-registration-outage', 'how-we-test-failover']);
const map = new Map([['failover', 'how-we-test-failover']]);
type Row = Record<string, unknown>;

describe('disqusThreadSlug', () => {
  test('takes /posts/<slug>, else the last path segment; a mapping wins', () => {
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/dns-ttl/' }), 'dns-ttl');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/posts/dns-ttl/amp/' }), 'dns-ttl');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/2019/05/failover.html' }), 'failover');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/2019/05/failover.html' }, map), 'how-we-test-failover');
    assert.equal(disqusThreadSlug({ link: 'https://old.example.com/x' }, new Map([['https://old.example.com/x', 'y']])), 'y');
  });
});

describe('importDisqusExport', () => {
  test('threads map to posts; authors, dates, parents, deleted and spam carry over; a re-run adds nothing', async () => {
    const db = await createTestDb();
    const report = await importDisqusExport(db, [DISQUS_EXPORT], { knownSlugs: known, secret, map });
    assert.equal(report.imported, 5);
    assert.deepEqual(
      report.notes.map((n) => `${n.kind} ${n.sourceId}${n.detail ? ` ${n.detail}` : ''}`),
      ['no-post 9006 thread "about"', 'parent-other-post 9005 parent 9001 is on "sip-trunk-registration-outage"'],
    );
    const rows = (await selectRows(db, sql`select id, parent_id, post_slug, status, previous_status, author_name, author_email, body_html, created_at, import_key from comments order by id`)) as Row[];
    const by = (id: number) => rows.find((r) => r.import_key === `disqus:${id}`)!;
    assert.equal(by(9001).author_name, 'Amp & Sand');
    assert.equal(
      String(by(9001).body_html).replace(/\n/g, ''),
      '<p>Was <strong>TLS</strong> affected?<br />Asking for a friend.</p><p>See <a href="https://status.example.com/" rel="nofollow ugc noopener">status.example.com</a></p>',
    );
    // The reply came first in the file and still found its parent.
    assert.equal(by(9002).parent_id, by(9001).id);
    assert.equal(by(9002).body_html, '<p>Agreed, __init__ matters.</p>');
    assert.equal(by(9002).created_at, Date.parse('2020-01-02T11:00:00Z'));
    assert.equal(by(9003).status, 'spam');
    assert.deepEqual([by(9004).status, by(9004).previous_status, by(9004).post_slug], ['trash', 'approved', 'how-we-test-failover']);
    assert.deepEqual([by(9005).parent_id, by(9005).post_slug], [null, 'how-we-test-failover']);

    const again = await importDisqusExport(db, [DISQUS_EXPORT], { knownSlugs: known, secret, map });
    assert.deepEqual([again.imported, again.alreadyImported], [0, 5]);
  });

  test('without the mapping the unmatched thread is named; a dry run and a malformed file leave nothing', async () => {
    const db = await createTestDb();
    const dry = await importDisqusExport(db, [DISQUS_EXPORT], { knownSlugs: known, secret, dryRun: true });
    assert.equal(dry.imported, 3);
    assert.ok(dry.notes.some((n) => n.kind === 'no-post' && n.sourceId === 9004 && n.detail === 'thread "failover"'));
    assert.equal((await selectRows(db, sql`select cast(count(*) as integer) as n from comments`))[0].n, 0);

    const cut = DISQUS_EXPORT.slice(0, DISQUS_EXPORT.indexOf('<post dsq:id="9004">'));
    await assert.rejects(() => importDisqusExport(db, [cut], { knownSlugs: known, secret, map }), (e: unknown) => e instanceof WordPressExportError && /^line \d+, column \d+: the file ends inside <disqus>/.test(e.message));
    await assert.rejects(() => importDisqusExport(db, ['<rss/>'], { knownSlugs: known, secret }), /not a Disqus export/);
    assert.equal((await selectRows(db, sql`select cast(count(*) as integer) as n from comments`))[0].n, 0);
  });
});
