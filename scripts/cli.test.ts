/**
 * The operator commands run as the operator runs them: a child process with a throwaway
 * DATABASE_PATH, judged by exit code, stdout and stderr. Independent scenarios run in
 * parallel; each command start costs a tsx boot.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { insertComment } from '../db/queries/comments.ts';
import { SAMPLE_EXPORT } from '../src/domain/comments/wordpress.fixture.ts';
import { DISQUS_EXPORT } from '../src/domain/comments/disqus.fixture.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'afterword-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<script>.ts like `npm run`, stdin not a terminal. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('MODERATOR_PASSWORD' in env)) delete childEnv.MODERATOR_PASSWORD;
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure: exit 1, nothing on stdout, exactly one line on stderr matching `pattern`, no stack. */
function assertFails(result: Result, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected exit 1, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, `stderr should be one line: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

function assertSucceeds(result: Result): void {
  assert.equal(result.code, 0, `expected exit 0, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stderr, '');
}

let dirs = 0;
const freshDbPath = () => join(scratch, `case-${++dirs}`, 'afterword.db');

// Generous: each command start is a Node + tsx boot, and CI machines may be as busy as this one.
describe('operator commands', { concurrency: true, timeout: 300_000 }, () => {
  test('moderator add, list, remove, with the failures an operator meets', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const password = { ...env, MODERATOR_PASSWORD: 'a long passphrase' };

    const added = await run('moderator', ['add', 'ann@example.com', '--name', 'Ann Admin'], password);
    assertSucceeds(added);
    assert.match(added.stdout, /^Added moderator Ann Admin <ann@example\.com>/);

    const [duplicate, short, noPassword, unknownCommand, listed, unknownEmail] = await Promise.all([
      await run('moderator', ['add', 'ANN@Example.com', '--name', 'Ann Again'], password),
      await run('moderator', ['add', 'bob@example.com', '--name', 'Bob'], { ...env, MODERATOR_PASSWORD: 'short' }),
      await run('moderator', ['add', 'bob@example.com', '--name', 'Bob'], env),
      await run('moderator', ['promote', 'ann@example.com'], env),
      await run('moderator', ['list'], env),
      await run('moderator', ['remove', 'nobody@example.com'], env),
    ]);
    assertFails(duplicate, /already exists/);
    assertFails(short, /MODERATOR_PASSWORD .*at least 12 characters/);
    assertFails(noPassword, /set MODERATOR_PASSWORD/);
    assertFails(unknownCommand, /Unknown command "promote".*Usage: npm run moderator/);
    assertFails(unknownEmail, /No moderator with email nobody@example\.com/);

    assertSucceeds(listed);
    assert.match(listed.stdout, /EMAIL\s+NAME\s+CREATED/);
    assert.match(listed.stdout, /ann@example\.com\s+Ann Admin\s+\d{4}-\d{2}-\d{2}/);
    assert.doesNotMatch(listed.stdout, /scrypt|Ann Again|bob@/);

    const removed = await run('moderator', ['remove', 'Ann@Example.com'], env);
    assertSucceeds(removed);
    assert.match(removed.stdout, /Removed moderator Ann Admin <ann@example\.com>/);
  });

  test('commenter export and erase', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const db = await openDatabase(env.DATABASE_PATH);
    await migrateDatabase(db);
    const at = new Date('2026-11-01T10:00:00Z');
    const base = { postSlug: 'outage', status: 'approved' as const, authorUrl: 'https://rita.example', clientHash: 'secret-hash', createdAt: at, updatedAt: at };
    const rita = await insertComment(db, { ...base, authorName: 'Rita', authorEmail: 'Rita@Example.com', bodySource: 'Why?', bodyHtml: '<p>Why?</p>' });
    const reply = await insertComment(db, { ...base, parentId: rita, authorName: 'Otto', authorEmail: 'otto@example.com', bodySource: 'DNS', bodyHtml: '<p>DNS</p>' });
    await db.close();

    const exported = await run('commenter', ['export', 'rita@example.com'], env);
    assertSucceeds(exported);
    const data = JSON.parse(exported.stdout);
    assert.equal(data.email, 'rita@example.com');
    assert.deepEqual(
      data.comments.map((c: Record<string, unknown>) => [c.id, c.post, c.name, c.email, c.website, c.text, c.status, c.createdAt]),
      [[rita, 'outage', 'Rita', 'Rita@Example.com', 'https://rita.example', 'Why?', 'approved', '2026-11-01T10:00:00.000Z']],
    );
    assert.doesNotMatch(exported.stdout, /secret-hash/);

    const erased = await run('commenter', ['erase', 'RITA@example.com'], env);
    assertSucceeds(erased);
    assert.match(erased.stdout, new RegExp(`^Erased 1 comment by RITA@example\\.com \\(id ${rita}\\)`));

    const [again, exportedAgain] = await Promise.all([await run('commenter', ['erase', 'rita@example.com'], env), await run('commenter', ['export', 'rita@example.com'], env)]);
    assertSucceeds(again);
    assert.match(again.stdout, /nothing to erase/);
    assertSucceeds(exportedAgain);
    assert.deepEqual(JSON.parse(exportedAgain.stdout).comments, []);

    const check = new Database(env.DATABASE_PATH, { readonly: true });
    const rows = check.prepare('select id, parent_id, status, author_name, author_email, author_url, body_source, client_hash, erased_at from comments order by id').all() as Record<string, unknown>[];
    const log = check.prepare('select moderator_id, moderator_name, action, comment_id from moderation_log').all();
    check.close();
    assert.deepEqual(rows[0], { id: rita, parent_id: null, status: 'approved', author_name: '', author_email: '', author_url: null, body_source: '', client_hash: null, erased_at: rows[0].erased_at });
    assert.ok(typeof rows[0].erased_at === 'number');
    assert.equal(rows[1].id, reply);
    assert.equal(rows[1].parent_id, rita);
    assert.equal(rows[1].author_name, 'Otto');
    assert.deepEqual(log, [{ moderator_id: null, moderator_name: 'command line', action: 'erase', comment_id: rita }]);
  });

  test('db:backup copies the database, refuses to overwrite, and checks the copy', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const backups = join(dirname(env.DATABASE_PATH), 'backups');
    const target = join(backups, 'nested', 'copy.db');

    assertFails(await run('db-backup', [target], env), /No database at DATABASE_PATH=.*nothing to back up/);
    assert.equal(existsSync(env.DATABASE_PATH), false, 'a missing database must not be created');

    const db = await openDatabase(env.DATABASE_PATH);
    await migrateDatabase(db);
    const at = new Date();
    await insertComment(db, { postSlug: 'p', status: 'approved', authorName: 'A', authorEmail: 'a@example.com', bodySource: 'kept', bodyHtml: '<p>kept</p>', createdAt: at, updatedAt: at });
    // The connection stays open (as the server's would) while the backup runs.
    const backedUp = await run('db-backup', [target], env);
    assertSucceeds(backedUp);
    assert.match(backedUp.stdout, /^Backed up .*afterword\.db to .*copy\.db \([\d,]+ bytes, integrity ok\)/);
    await db.close();

    const copy = new Database(target, { readonly: true });
    assert.equal((copy.prepare('select body_source from comments').get() as { body_source: string }).body_source, 'kept');
    assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
    copy.close();

    const [refused, forced] = await Promise.all([await run('db-backup', [target], env), await run('db-backup', [target, '--force'], env)]);
    assertFails(refused, /already exists.*--force/);
    assertSucceeds(forced);

    const notADatabase = join(scratch, 'garbage.db');
    writeFileSync(notADatabase, 'not sqlite');
    assertFails(await run('db-backup', [join(scratch, 'never.db')], { DATABASE_PATH: notADatabase }), /failed: file is not a database/);
    assert.equal(existsSync(join(scratch, 'never.db')), false);
  });

  test('bad configuration stops a command with the variable named', async () => {
    assertFails(await run('moderator', ['list'], { DATABASE_PATH: ' ' }), /^Invalid configuration: DATABASE_PATH must not be empty/);
  });

  test('spam-filter status and retrain', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const db = await openDatabase(env.DATABASE_PATH);
    await migrateDatabase(db);
    const at = new Date('2026-11-01T10:00:00Z');
    const base = { postSlug: 'outage', authorName: 'Ann', authorEmail: 'ann@example.com', bodyHtml: '<p>x</p>', createdAt: at, updatedAt: at };
    await insertComment(db, { ...base, status: 'approved', bodySource: 'Thanks for the write-up' });
    await insertComment(db, { ...base, status: 'approved', bodySource: 'How long did it take?' });
    await insertComment(db, { ...base, status: 'spam', decisionReason: 'imported', bodySource: 'Cheap casino bonus' });
    await insertComment(db, { ...base, status: 'spam', decisionReason: 'honeypot', bodySource: 'bot text' });
    await db.close();

    const status = await run('spam-filter', ['status'], env);
    assertSucceeds(status);
    assert.match(status.stdout, /^Learned from 0 approved and 0 spam comment\(s\); 0 distinct token\(s\)\.$/m);
    assert.match(status.stdout, /^Not acting yet: it needs 20 approved and 20 spam decisions first\.$/m);
    const retrained = await run('spam-filter', ['retrain'], env);
    assertSucceeds(retrained);
    assert.match(retrained.stdout, /^Retrained the spam filter from 3 decision\(s\)\.\nLearned from 2 approved and 1 spam comment\(s\)/);
    assertFails(await run('spam-filter', ['bogus'], env), /^Usage: npm run spam-filter -- status \| retrain$/m);
  });

  test('import:wordpress brings a WordPress export\'s comments onto matching posts, once', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const file = join(scratch, `export-${dirs}.xml`);
    writeFileSync(file, SAMPLE_EXPORT);
    const dry = await run('import-wordpress', [file, '--dry-run'], env);
    assertSucceeds(dry);
    assert.match(dry.stdout, /^Would import 3 comment\(s\)/);
    assert.match(dry.stdout, /^1 comments on posts or pages that have no file in content\/posts: .*WordPress comment ids: 20 \(post "a-post-we-did-not-keep"\)$/m);
    assert.match(dry.stdout, /^1 pingbacks and trackbacks .*WordPress comment ids: 14$/m);
    const imported = await run('import-wordpress', [file], env);
    assertSucceeds(imported);
    assert.match(imported.stdout, /^Imported 3 comment\(s\); 0 already imported/);
    const again = await run('import-wordpress', [file], env);
    assert.match(again.stdout, /^Imported 0 comment\(s\); 3 already imported/);
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    assert.equal(db.prepare('select count(*) from comments').pluck().get(), 3);
    db.close();

    const notXml = join(scratch, 'not-an-export.xml');
    writeFileSync(notXml, 'hello');
    assertFails(await run('import-wordpress', [notXml], env), /not-an-export\.xml: line \d+, column \d+: not an XML file .*Nothing was imported\./);
    const cut = join(scratch, 'cut-export.xml');
    writeFileSync(cut, SAMPLE_EXPORT.slice(0, SAMPLE_EXPORT.indexOf('</wp:comment>') + '</wp:comment>'.length));
    assertFails(await run('import-wordpress', [cut], env), /cut-export\.xml: line 22, column \d+: the file ends inside <item> \(is it cut short\?\)\. Nothing was imported\./);
    assertFails(await run('import-wordpress', [], env), /Usage: npm run import:wordpress/);
  });

  test('export writes every comment; import:json restores it into an empty database and merges without duplicates', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const restored = { DATABASE_PATH: freshDbPath() };
    const exportFile = join(scratch, `export-${dirs}.xml`);
    writeFileSync(exportFile, SAMPLE_EXPORT);
    assertSucceeds(await run('import-wordpress', [exportFile], env));
    const first = join(scratch, `archive-${dirs}.json`);
    const second = join(scratch, `archive-${dirs}-again.json`);
    const exported = await run('export-comments', [first], env);
    assertSucceeds(exported);
    assert.match(exported.stdout, /^Wrote 3 comment\(s\)/);
    assertFails(await run('export-comments', [first], env), /already exists; add --force/);

    const dry = await run('import-json', [first, '--dry-run'], restored);
    assertSucceeds(dry);
    assert.match(dry.stdout, /^Would import 3 comment\(s\) with their ids/);
    assertSucceeds(await run('import-json', [first], restored));
    assertSucceeds(await run('export-comments', [second], restored));
    assert.equal(readFileSync(second, 'utf8'), readFileSync(first, 'utf8'));
    const again = await run('import-json', [first], restored);
    assert.match(again.stdout, /^Imported 0 comment\(s\); 3 already here/);

    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"format": "afterword-comments", "version": 1, "comments": [{"id": 1}]}');
    assertFails(await run('import-json', [broken], restored), /is not an Afterword comments archive: comments\[0\]\.post: Required\. Nothing was imported\./);
    writeFileSync(broken, '{"format": ');
    assertFails(await run('import-json', [broken], restored), /is not JSON/);
  });

  test('import:disqus maps threads to posts (with --map), reports by Disqus id, and imports once', async () => {
    const env = { DATABASE_PATH: freshDbPath() };
    const file = join(scratch, `disqus-${dirs}.xml`);
    writeFileSync(file, DISQUS_EXPORT);
    const dry = await run('import-disqus', [file, '--dry-run', '--map', 'failover=how-we-test-failover'], env);
    assertSucceeds(dry);
    assert.match(dry.stdout, /^Would import 5 comment\(s\); 0 already imported\./);
    assert.match(dry.stdout, /^1 comments on posts or pages that have no file in content\/posts: .*Disqus post ids: 9006 \(thread "about"\)$/m);
    const imported = await run('import-disqus', [file, '--map', 'failover=how-we-test-failover'], env);
    assert.match(imported.stdout, /^Imported 5 comment\(s\); 0 already imported\./);
    const again = await run('import-disqus', [file, '--map', 'failover=how-we-test-failover'], env);
    assert.match(again.stdout, /^Imported 0 comment\(s\); 5 already imported\./);
    assertFails(await run('import-disqus', [file, '--map', 'nonsense'], env), /--map needs old=new/);
    const wordpress = join(scratch, `wp-as-disqus-${dirs}.xml`);
    writeFileSync(wordpress, SAMPLE_EXPORT);
    assertFails(await run('import-disqus', [wordpress], env), /line \d+, column \d+: not a Disqus export .*Nothing was imported\./);
  });
});
