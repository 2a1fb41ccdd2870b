/**
 * `npm run db:copy -- --to <postgres://… | file.db> [--from <postgres://… | file.db>]`: copies the
 * whole site (comments, moderators, sessions, the log, queued mail, settings, the spam filter…)
 * into an empty database of either kind, keeping every id, and prints each table's row count and
 * checksum as read back from the target. The source defaults to the configured database
 * (DATABASE_URL, else DATABASE_PATH). The target is created (SQLite) and migrated; a target that
 * already holds data is refused.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databaseErrorReason, isPostgresUrl, openDatabase, type DbConnection } from '../db/client';
import { copyDatabase, nonEmptyTables } from '../db/copy';
import { migrateDatabase } from '../db/migrate';
import { databaseLocation } from '../src/services/config';
import { CliError, loadConfig, runCli } from './cli';

const USAGE = 'Usage: npm run db:copy -- --to <postgres://user@host/db | path/to/file.db> [--from <same kinds>]';

/** A location for messages: a PostgreSQL password is hidden. */
function shown(location: string): string {
  if (!isPostgresUrl(location)) return location;
  const url = new URL(location);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Opens and migrates a database (the source too: an older site is brought up to date first, as `npm start` would). */
async function open(location: string, role: string): Promise<DbConnection> {
  let db: DbConnection | undefined;
  try {
    db = await openDatabase(location);
    await migrateDatabase(db);
    return db;
  } catch (error) {
    await db?.close();
    throw new CliError(`Cannot use the ${role} database ${shown(location)}: ${databaseErrorReason(error)}`);
  }
}

await runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({ options: { to: { type: 'string' }, from: { type: 'string' } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/\.$/, '')}. ${USAGE}`);
  }
  const to = parsed.values.to?.trim();
  if (!to) throw new CliError(`Expected --to. ${USAGE}`);
  const from = parsed.values.from?.trim() || databaseLocation(loadConfig());
  if (from === to) throw new CliError(`The source and the target are the same database (${shown(to)}).`);
  if (!isPostgresUrl(from) && !existsSync(from)) throw new CliError(`No database at ${from}: nothing to copy.`);

  const source = await open(from, 'source');
  const target = await open(to, 'target');
  try {
    const occupied = await nonEmptyTables(target);
    if (occupied.length) throw new CliError(`The target ${shown(to)} already holds data (${occupied.join(', ')}): copy into an empty database.`);
    console.log(`Copying ${shown(from)} → ${shown(to)}`);
    const report = await copyDatabase(source, target);
    const width = Math.max(...report.map((r) => r.table.length));
    for (const { table, rows, checksum, verified } of report) console.log(`${table.padEnd(width)}  ${String(rows).padStart(7)} rows  sha256 ${checksum}  ${verified ? 'ok' : 'MISMATCH'}`);
    const failed = report.filter((r) => !r.verified);
    if (failed.length) throw new CliError(`The copy differs from the source in ${failed.map((r) => r.table).join(', ')}.`);
    console.log(`Copied ${report.reduce((n, r) => n + r.rows, 0)} rows; every table's count and checksum match.`);
  } finally {
    await source.close();
    await target.close();
  }
});
