import { eq, sql } from 'drizzle-orm';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../../db/testing.ts';
import { insertComment } from '../../db/queries/comments.ts';
import { insertModerator } from '../../db/queries/moderators.ts';
import { checkExportFile } from '../domain/comments/export-format.ts';
import { exportAllComments, importCommentArchive } from './comment-archive.ts';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/** A database with what an archive must carry: a thread, every status, a moderator reply, an import key, an erased comment. */
async function seeded(): Promise<TestDb> {
  const db = await createTestDb();
  const mod = await insertModerator(db, { email: 'ann@example.com', name: 'Ann', passwordHash: 'x', createdAt: new Date(0) });
  const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 9, minute, 0, 123));
  const base = { postSlug: 'outage', authorUrl: null, clientHash: 'h1', decisionReason: 'known-author' };
  const root = await insertComment(db, { ...base, status: 'approved', authorName: 'Amp & Sand', authorEmail: 'amp@example.com', authorUrl: 'https://amp.example/', bodySource: 'Was **TLS** \\_\\_init\\_\\_?', bodyHtml: '', createdAt: at(1), updatedAt: at(5) });
  await insertComment(db, { ...base, parentId: root, moderatorId: mod, status: 'approved', authorName: 'Ann', authorEmail: 'ann@example.com', bodySource: 'Yes.', bodyHtml: '', createdAt: at(2), updatedAt: at(2) });
  await insertComment(db, { ...base, status: 'trash', previousStatus: 'pending', authorName: 'T', authorEmail: 't@example.com', bodySource: 'gone', bodyHtml: '', createdAt: at(3), updatedAt: at(3) });
  await insertComment(db, { ...base, postSlug: 'other', status: 'spam', authorName: 'S', authorEmail: 's@example.com', bodySource: 'pills', bodyHtml: '', importKey: 'wordpress:13', createdAt: at(4), updatedAt: at(4) });
  const erased = await insertComment(db, { ...base, status: 'approved', authorName: '', authorEmail: '', bodySource: '', bodyHtml: '', createdAt: at(6), updatedAt: at(6) });
  await db.orm.update(db.tables.comments).set({ erasedAt: at(7) }).where(eq(db.tables.comments.id, erased));
  return db;
}

const roundTrip = (file: unknown) => JSON.parse(JSON.stringify(file));

describe('comment archive', () => {
  test('export → import into an empty database → export gives the identical file', async () => {
    const first = await exportAllComments(await seeded());
    assert.equal(first.comments.length, 5);
    assert.ok(checkExportFile(roundTrip(first)).ok);

    const fresh = await createTestDb();
    await insertModerator(fresh, { email: 'ann@example.com', name: 'Ann', passwordHash: 'y', createdAt: new Date(0) });
    const report = await importCommentArchive(fresh, first);
    assert.deepEqual(report, { imported: 5, duplicates: 0, keptIds: true, moderatorsMissing: [] });
    assert.equal(JSON.stringify(await exportAllComments(fresh), null, 2), JSON.stringify(first, null, 2));
    // HTML is made again from the source.
    const html = (await fresh.execute(sql`select body_html from comments where id = ${first.comments[0].id}`))[0]?.body_html;
    assert.equal(html, '<p>Was <strong>TLS</strong> __init__?</p>');
  });

  test('merging into a database with comments adds only what is missing, keeping threads', async () => {
    const source = await seeded();
    const file = await exportAllComments(source);
    const target = await seeded();
    const again = await importCommentArchive(target, file);
    assert.deepEqual([again.imported, again.duplicates, again.keptIds], [0, 5, false]);

    // A new reply in the source arrives once, under the right parent, with a new id.
    const parent = file.comments[0];
    await insertComment(source, { postSlug: 'outage', parentId: parent.id, status: 'approved', authorName: 'New', authorEmail: 'new@example.com', bodySource: 'late reply', bodyHtml: '', createdAt: new Date(Date.UTC(2024, 5, 1)), updatedAt: new Date(Date.UTC(2024, 5, 1)) });
    const other = await createTestDb();
    await insertComment(other, { postSlug: 'elsewhere', status: 'approved', authorName: 'X', authorEmail: 'x@example.com', bodySource: 'x', bodyHtml: '<p>x</p>', createdAt: new Date(0), updatedAt: new Date(0) });
    const merged = await importCommentArchive(other, await exportAllComments(source));
    assert.deepEqual([merged.imported, merged.duplicates, merged.keptIds], [6, 0, false]);
    assert.deepEqual(merged.moderatorsMissing, [{ email: 'ann@example.com', comments: 1 }]);
    const reply = (await other.execute(sql`select parent_id from comments where body_source = 'late reply'`))[0]?.parent_id;
    const root = (await other.execute(sql`select id from comments where body_source = ${parent.source}`))[0]?.id;
    assert.equal(reply, root);
    const twice = await importCommentArchive(other, await exportAllComments(source));
    assert.deepEqual([twice.imported, twice.duplicates], [0, 6]);
  });

  test('a file that does not fit the format is refused, naming the place', async () => {
    const good = roundTrip(await exportAllComments(await seeded()));
    const cases: [string, (f: any) => void, RegExp][] = [
      ['another format', (f) => (f.format = 'disqus'), /^format: must be "afterword-comments"/],
      ['a later version', (f) => (f.version = 2), /^version: must be 1/],
      ['a bad status', (f) => (f.comments[1].status = 'deleted'), /^comments\[1\]\.status: must be one of/],
      ['a bad date', (f) => (f.comments[0].createdAt = 'yesterday'), /^comments\[0\]\.createdAt: must be an ISO 8601/],
      ['an unknown field', (f) => (f.comments[0].html = '<script>'), /^comments\[0\]: Unrecognized key/],
      ['a missing parent', (f) => (f.comments[1].parentId = 999), /^comments\[1\]\.parentId: no comment with id 999/],
      ['a parent on another post', (f) => (f.comments[1].parentId = f.comments[3].id), /^comments\[1\]\.parentId: .* is on another post/],
      ['a repeated id', (f) => (f.comments[1].id = f.comments[0].id), /appears twice/],
    ];
    for (const [what, change, message] of cases) {
      const file = roundTrip(good);
      change(file);
      const result = checkExportFile(file);
      assert.equal(result.ok, false, what);
      if (!result.ok) assert.match(result.error, message, what);
    }
  });
});

test('the committed JSON Schema describes the same fields the importer checks', async () => {
  const { readFileSync } = await import('node:fs');
  const { ExportedCommentSchema, ExportFileSchema } = await import('../domain/comments/export-format.ts');
  const schema = JSON.parse(readFileSync(new URL('../../db/export-format.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual([...schema.required].sort(), Object.keys(ExportFileSchema.shape).sort());
  assert.deepEqual([...schema.$defs.comment.required].sort(), Object.keys(ExportedCommentSchema.shape).sort());
  assert.deepEqual(Object.keys(schema.$defs.comment.properties).sort(), Object.keys(ExportedCommentSchema.shape).sort());
});
