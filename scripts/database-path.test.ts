/**
 * An unusable DATABASE_PATH stops `npm start` and every operator command with one line naming
 * the variable and the reason, instead of hanging (Node's recursive mkdir loops forever under
 * /proc) or failing later on the first write. Each case is a real child process; the test's
 * timeout is what catches a hang.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SAMPLE_EXPORT } from '../src/domain/comments/wordpress.fixture.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'afterword-dbpath-'));
after(() => {
  chmodSync(join(scratch, 'read-only-folder'), 0o755);
  rmSync(scratch, { recursive: true, force: true });
});

mkdirSync(join(scratch, 'a-folder'));
writeFileSync(join(scratch, 'read-only.db'), '');
chmodSync(join(scratch, 'read-only.db'), 0o444);
mkdirSync(join(scratch, 'read-only-folder'));
chmodSync(join(scratch, 'read-only-folder'), 0o555);
mkdirSync(join(scratch, 'full'));
writeFileSync(join(scratch, 'export.xml'), SAMPLE_EXPORT);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script as `npm run` does. `fileSizeLimitKb` simulates a full disk: writes beyond the
 * limit fail (EFBIG) as they would with ENOSPC; SIGXFSZ is ignored so the write error reaches SQLite.
 */
function run(script: string, args: string[], databasePath: string, fileSizeLimitKb?: number): Promise<Result> {
  const node = [process.execPath, '--import', 'tsx', `scripts/${script}.ts`, ...args];
  const [command, ...commandArgs] = fileSizeLimitKb === undefined ? node : ['bash', '-c', `trap '' XFSZ; ulimit -f ${fileSizeLimitKb}; exec "$0" "$@"`, ...node];
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: databasePath, PORT: '4399', OUTBOX_DIR: join(scratch, 'outbox') };
  delete env.SITE_URL;
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cases: { kind: string; path: string; reason: RegExp; fileSizeLimitKb?: number }[] = [
  { kind: 'a path under /proc', path: '/proc/x/db.sqlite', reason: /cannot create the folder \/proc\/x/ },
  { kind: 'a file directly in /proc', path: '/proc/afterword.db', reason: /the folder \/proc is read-only/ },
  { kind: 'a folder', path: join(scratch, 'a-folder'), reason: /is a folder, not a database file/ },
  { kind: 'a read-only file', path: join(scratch, 'read-only.db'), reason: /read-only\.db is read-only/ },
  { kind: 'a file in a read-only folder', path: join(scratch, 'read-only-folder', 'db.sqlite'), reason: /the folder .*read-only-folder is read-only/ },
  { kind: 'a path below a file', path: join(scratch, 'read-only.db', 'inner', 'db.sqlite'), reason: /read-only\.db is a file, not a folder/ },
  { kind: 'a device', path: '/dev/null', reason: /is not a regular file/ },
  { kind: 'a full disk (simulated by a file size limit)', path: join(scratch, 'full', 'db.sqlite'), reason: /disk is full|write failed/, fileSizeLimitKb: 40 },
];

function assertOneLine(result: Result, what: string, path: string, reason: RegExp): void {
  assert.equal(result.code, 1, `${what}: exit code (stderr: ${result.stderr})`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got ${result.stderr}`);
  assert.ok(lines[0].includes(`DATABASE_PATH=${path}`), `${what}: names DATABASE_PATH and its value: ${lines[0]}`);
  assert.match(lines[0], reason, `${what}: says why`);
  assert.doesNotMatch(result.stdout, /listening/i, `${what}: the server must not start`);
}

// A few at a time: each case starts two Node processes, and a hang shows as this test's timeout.
describe('an unusable DATABASE_PATH', { concurrency: 3, timeout: 300_000 }, () => {
  for (const { kind, path, reason, fileSizeLimitKb } of cases) {
    test(`${kind}: npm start and the moderator command stop with one line`, async () => {
      const [start, moderator] = await Promise.all([await run('start', [], path, fileSizeLimitKb), await run('moderator', ['list'], path, fileSizeLimitKb)]);
      assertOneLine(start, 'npm start', path, reason);
      assertOneLine(moderator, 'npm run moderator', path, reason);
    });
  }

  test('every other command says the same about a path under /proc', async () => {
    const path = '/proc/x/db.sqlite';
    const results = await Promise.all([
      await run('commenter', ['export', 'a@example.com'], path),
      await run('import-wordpress', [join(scratch, 'export.xml')], path),
    ]);
    for (const result of results) assertOneLine(result, 'command', path, /cannot create the folder \/proc\/x/);
  });
});
