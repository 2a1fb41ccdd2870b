import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../fixtures/server';
import { expectOneLineFailure, runScript } from '../fixtures/commands';
import { t, unique } from '../fixtures/comments';
import { approveInDb, commentRow, everyStoredText, expectNoHalfWrittenRows, serverSecret, withDb } from '../fixtures/db';
import { commentIdFrom, postForm, servedToken, signFormToken, startWriters, urlencoded, validFields } from '../fixtures/http';
import { FAILOVER, OUTAGE } from '../fixtures/posts';

/**
 * SPEC "Running it (operator contract)": `npm run db:backup -- <file>` writes a consistent copy
 * of the live database; `npm run commenter -- export|erase <email>`; bad configuration stops
 * the process with one clear line naming the variable; every command exits non-zero with one
 * clear line on stderr when it fails. The commands are run as their npm scripts run them.
 */

const BACKUP = 'scripts/db-backup.ts';
const COMMENTER = 'scripts/commenter.ts';
const START = 'scripts/start.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'afterword-operator-'));

test.describe('db:backup', () => {

  test('a backup taken while comments are being written opens, passes integrity_check and holds every acknowledged comment', async () => {
    test.setTimeout(60_000);
    const server = await startServer();
    try {
      const secret = serverSecret(server.databasePath);
      const writers = startWriters(server.origin, OUTAGE, () => signFormToken(secret, OUTAGE, Date.now() - 60_000), 4);
      await expect.poll(() => writers.acknowledged.length, { timeout: 20_000, intervals: [50], message: 'comments acknowledged before the backup' }).toBeGreaterThanOrEqual(30);
      const acknowledgedBefore = [...writers.acknowledged];

      const file = join(scratch(), 'nested', 'afterword-backup.db');
      const result = await runScript(BACKUP, [file], { DATABASE_PATH: server.databasePath });
      const duringBackup = writers.acknowledged.length - acknowledgedBefore.length;
      await writers.stop();
      expect(result.code, `backup exits 0\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
      expect(writers.unexpected, 'the server kept answering while the backup ran').toEqual([]);
      expect(duringBackup, 'comments were still being written while the backup ran').toBeGreaterThan(0);

      withDb((db) => {
        const ids = new Set((db.prepare('select id, body_source from comments').all() as { id: number; body_source: string }[]).map((r) => `${r.id}:${r.body_source}`));
        const missing = acknowledgedBefore.filter(({ id, text }) => !ids.has(`${id}:${text}`));
        expect(missing, `all ${acknowledgedBefore.length} comments acknowledged before the backup are in it`).toEqual([]);
        expect((db.prepare(`select count(*) as n from settings where key = 'secret'`).get() as { n: number }).n, 'the settings (secret) are in it').toBe(1);
      }, file, { readonly: true });
      expectNoHalfWrittenRows(file);
      expect((await fetch(`${server.origin}/healthz`)).status, 'the server is unharmed').toBe(200);
    } finally {
      await server.stop();
    }
  });

  test('a backup that cannot be made exits non-zero with one line on stderr', async () => {
    const server = await startServer();
    try {
      const dir = scratch();
      const existing = join(dir, 'existing.db');
      writeFileSync(existing, 'not a backup');
      const cases: { what: string; args: string[]; env?: Record<string, string> }[] = [
        { what: 'no file name', args: [] },
        { what: 'two file names', args: [join(dir, 'a.db'), join(dir, 'b.db')] },
        { what: 'a file that already exists (no --force)', args: [existing] },
        { what: 'a destination inside a regular file', args: [join(existing, 'backup.db')] },
        { what: 'the live database itself', args: [server.databasePath] },
        { what: 'a DATABASE_PATH with no database', args: [join(dir, 'out.db')], env: { DATABASE_PATH: join(dir, 'missing', 'none.db') } },
        { what: 'an unknown option', args: ['--frobnicate', join(dir, 'out2.db')] },
      ];
      const results = await Promise.all(cases.map((c) => runScript(BACKUP, c.args, { DATABASE_PATH: server.databasePath, ...c.env })));
      cases.forEach((c, i) => expectOneLineFailure(results[i], `db:backup with ${c.what}`));
    } finally {
      await server.stop();
    }
  });
});

test.describe('commenter export and erase', () => {

  let server: RunningServer;
  test.beforeAll(async () => {
    server = await startServer();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** Posts a comment as `who` and returns its id. */
  async function comment(who: { name: string; email: string; website?: string }, slug: string, text: string, parent?: number): Promise<number> {
    const fields = { ...validFields(slug, (await servedToken(server.origin, slug)).token), name: who.name, email: who.email, website: who.website ?? '', comment: text };
    const response = await postForm(server.origin, slug, urlencoded(parent ? { ...fields, parent: String(parent) } : fields));
    const id = commentIdFrom(response);
    expect(id, `comment by ${who.name} accepted (${response.status})`).toBeGreaterThan(0);
    return id!;
  }

  const commenter = (label: string) => {
    const id = unique();
    return { name: `${label} ${id}`, email: `${label.toLowerCase()}.${id}@example.com`, website: `https://${label.toLowerCase()}-${id}.example.org/` };
  };

  test('export prints that commenter’s comments as JSON; erase leaves "comment removed" with the replies in place', async ({ browser }) => {
    const alice = commenter('Alice');
    const bob = commenter('Bob');
    const carol = commenter('Carol');
    const aliceTopText = `Alice asks ${unique()}: which intermediate certificate was missing?`;
    const alicePendingText = `Alice again ${unique()}: and how do you test failover?`;
    const bobReplyText = `Bob answers ${unique()}: the R11 intermediate.`;
    const carolText = `Carol notes ${unique()}: same happened to us.`;

    const aliceTop = await comment(alice, OUTAGE, aliceTopText);
    // Posted before her first comment is approved, so "approve known authors" leaves it pending.
    const alicePending = await comment(alice, FAILOVER, alicePendingText);
    approveInDb(aliceTop, server.databasePath);
    const bobReply = await comment(bob, OUTAGE, bobReplyText, aliceTop);
    approveInDb(bobReply, server.databasePath);
    const carolTop = await comment(carol, OUTAGE, carolText);
    approveInDb(carolTop, server.databasePath);
    const env = { DATABASE_PATH: server.databasePath };

    // --- export --------------------------------------------------------------------------
    const exported = await runScript(COMMENTER, ['export', alice.email], env);
    expect(exported.code, `export exits 0\nstderr: ${exported.stderr}`).toBe(0);
    let data: unknown;
    expect(() => (data = JSON.parse(exported.stdout)), 'stdout is JSON').not.toThrow();
    const list = (Array.isArray(data) ? data : (data as { comments?: unknown }).comments) as Record<string, unknown>[];
    expect(Array.isArray(list), 'the export lists the comments').toBe(true);
    expect(list, 'exactly Alice’s two comments').toHaveLength(2);
    const values = (entry: Record<string, unknown>) => Object.values(entry).map(String);
    for (const [id, text, slug, status] of [
      [aliceTop, aliceTopText, OUTAGE, 'approved'],
      [alicePending, alicePendingText, FAILOVER, 'pending'],
    ] as const) {
      const entry = list.find((e) => values(e).includes(text));
      expect(entry, `comment ${id} is exported with its text`).toBeDefined();
      expect(values(entry!), `comment ${id}: its post`).toContain(slug);
      expect(values(entry!), `comment ${id}: its status`).toContain(status);
      expect(values(entry!).some((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)), `comment ${id}: its date (ISO 8601)`).toBe(true);
    }
    for (const other of [bob.name, bob.email, bobReplyText, carol.name, carol.email, carolText]) {
      expect(exported.stdout, 'nothing about other commenters').not.toContain(other);
    }
    const aliceHash = commentRow(aliceTop, server.databasePath)?.client_hash;
    if (aliceHash) expect(exported.stdout, 'no internal client hash').not.toContain(aliceHash);

    // --- erase ---------------------------------------------------------------------------
    const erased = await runScript(COMMENTER, ['erase', alice.email], env);
    expect(erased.code, `erase exits 0\nstderr: ${erased.stderr}`).toBe(0);

    const context = await browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`/posts/${OUTAGE}`);
      const removed = page.locator(`#comment-${aliceTop}`);
      await expect(removed, 'Alice’s comment leaves a placeholder').toContainText(t['comments.removed']);
      const reply = removed.locator(`#comment-${bobReply}`);
      await expect(reply, 'Bob’s reply stays, nested under the placeholder').toBeVisible();
      await expect(reply).toContainText(bobReplyText);
      await expect(reply).toContainText(bob.name);
      await expect(page.locator(`#comment-${carolTop}`)).toContainText(carolText);
      const html = await page.content();
      for (const gone of [alice.name, alice.email, alice.website, aliceTopText]) expect(html, 'nothing of Alice is on the page').not.toContain(gone);
    } finally {
      await context.close();
    }

    const stored = everyStoredText(server.databasePath);
    for (const gone of [alice.name, alice.email, alice.website, aliceTopText, alicePendingText]) {
      expect(stored.filter((v) => v.includes(gone)), `"${gone}" is stored nowhere any more`).toEqual([]);
    }
    expect(commentRow(bobReply, server.databasePath)?.body_source, 'Bob’s reply is untouched').toBe(bobReplyText);
    expect(commentRow(aliceTop, server.databasePath), 'Alice’s comment stays as a row (the thread keeps its shape)').toBeDefined();
    expect(commentRow(bobReply, server.databasePath)?.parent_id, 'Bob’s reply still answers it').toBe(aliceTop);

    const after = await runScript(COMMENTER, ['export', alice.email], env);
    expect(after.code).toBe(0);
    expect(() => JSON.parse(after.stdout), 'still JSON').not.toThrow();
    for (const gone of [alice.name, alice.website, aliceTopText, alicePendingText]) expect(after.stdout, 'the export after erasure shows no text or name').not.toContain(gone);
  });

  test('a commenter command that cannot run exits non-zero with one line on stderr', async () => {
    const env = { DATABASE_PATH: server.databasePath };
    const cases: [string, string[]][] = [
      ['no command', []],
      ['an unknown command', ['frobnicate', 'someone@example.com']],
      ['export without an email', ['export']],
      ['erase without an email', ['erase']],
      ['an address that is not an email', ['export', 'not-an-email']],
      ['two addresses', ['erase', 'a@example.com', 'b@example.com']],
    ];
    const results = await Promise.all(cases.map(([, args]) => runScript(COMMENTER, args, env)));
    cases.forEach(([what], i) => expectOneLineFailure(results[i], `commenter with ${what}`));
  });
});

test('bad configuration stops the server with one line naming the variable', async () => {
  const dir = scratch();
  const good = {
    PORT: '4987',
    HOST: 'localhost',
    DATABASE_PATH: join(dir, 'never.db'),
    SITE_URL: 'http://localhost:4987',
    SITE_LOCALE: 'en',
    OUTBOX_DIR: join(dir, 'outbox'),
    TRUST_PROXY: '0',
    COMMENT_FLOOD_SECONDS: '15',
    COMMENT_MIN_SECONDS: '3',
  };
  const cases: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SITE_LOCALE', 'fr'],
    ['SITE_URL', 'notaurl'],
    ['SITE_URL', 'ftp://example.com'],
    ['COMMENT_FLOOD_SECONDS', '-1'],
    ['COMMENT_MIN_SECONDS', 'soon'],
    ['TRUST_PROXY', 'maybe'],
  ];
  // Independent processes: run side by side.
  const results = await Promise.all(cases.map(([variable, value]) => runScript(START, [], { ...good, [variable]: value }, 15_000)));
  cases.forEach(([variable, value], i) => {
    const line = expectOneLineFailure(results[i], `start with ${variable}=${value}`);
    expect(line, `start with ${variable}=${value}: the line names the variable`).toContain(variable);
  });
});
