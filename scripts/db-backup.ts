/**
 * `npm run db:backup -- <file> [--force]`: a consistent copy of the live database, taken with
 * SQLite's online backup API while the server keeps running and writing. The copy is written
 * to a temporary file beside <file>, checked (`PRAGMA integrity_check` on a read-only
 * connection) and only then renamed into place, so <file> is never a half-written backup.
 * The copy is a single self-contained file (rollback journal, no -wal/-shm companions).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../db/sqlite';
import { CliError, loadConfig, runCli } from './cli';

const USAGE = 'Usage: npm run db:backup -- <file> [--force]  (--force replaces an existing <file>)';

/** The same file, even when reached through different paths or links. */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

await runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/\.$/, '')}. ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !positionals[0].trim()) throw new CliError(`Expected exactly one backup file name. ${USAGE}`);

  const config = loadConfig();
  if (config.DATABASE_URL) {
    // PostgreSQL has its own consistent online backup; nothing here would do it better.
    throw new CliError(
      `DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=${positionals[0].trim()} "${config.DATABASE_URL}" (restore with pg_restore --clean --dbname=…), or copy it to a SQLite file with npm run db:copy -- --to <file>.`,
    );
  }
  const source = resolve(config.DATABASE_PATH);
  const target = resolve(positionals[0].trim());
  if (!existsSync(source)) {
    throw new CliError(`No database at DATABASE_PATH=${config.DATABASE_PATH} (${source}): nothing to back up.`);
  }
  if (sameFile(source, target) || [`${source}-wal`, `${source}-shm`, `${source}-journal`].includes(target)) {
    throw new CliError(`Refusing to back up the database onto itself (${target}).`);
  }
  if (existsSync(target)) {
    if (!values.force) throw new CliError(`${target} already exists: choose another file, or pass --force to replace it.`);
    if (!statSync(target).isFile()) throw new CliError(`${target} exists and is not a file.`);
  }
  // A -wal beside <file> means a database in use there (and a stale one would be replayed onto the copy).
  if (existsSync(`${target}-wal`)) throw new CliError(`${target}-wal exists: ${target} looks like a database in use; choose another file.`);

  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw new CliError(`Cannot create the folder for ${target}: ${(error as Error).message}`);
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const cleanUp = () => {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${temporary}${suffix}`, { force: true });
  };

  try {
    const live = openSqlite(source);
    try {
      // All remaining pages in one step: a single read snapshot, which writes by the running
      // server (other connections) cannot force to restart.
      await live.sqlite.backup(temporary, { progress: () => 0x7fffffff });
    } finally {
      await live.close();
    }

    // The live database is in WAL mode and the copy inherits it; make it one plain file.
    const copy = new Database(temporary, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }

    const check = new Database(temporary, { readonly: true, fileMustExist: true });
    let result: string[];
    try {
      result = (check.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } finally {
      check.close();
    }
    if (result.join() !== 'ok') throw new CliError(`The backup failed its integrity check: ${result.slice(0, 3).join('; ')}`);

    renameSync(temporary, target);
  } catch (error) {
    cleanUp();
    if (error instanceof CliError) throw error;
    throw new CliError(`Backup of ${source} to ${target} failed: ${(error as Error).message}`);
  }

  const size = statSync(target).size;
  console.log(`Backed up ${source} to ${target} (${size.toLocaleString('en-US')} bytes, integrity ok).`);
});
