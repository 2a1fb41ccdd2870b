/**
 * Shared plumbing of the operator commands (`npm run moderator`, `commenter`, `db:backup`):
 * every failure ends as one line on stderr and exit code 1, never a stack trace.
 */
import { databaseErrorReason, openDatabase, type DbConnection } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { ConfigError, databaseLocation, describeDatabase, getConfig, type Config } from '../src/services/config';

/** Thrown for expected failures; `runCli` prints the message alone. */
export class CliError extends Error {}

/** Prints one line on stderr and exits 1. */
export function fail(message: string): never {
  console.error(oneLine(message));
  process.exit(1);
}

/** Collapses a message onto one line (SQLite and zod messages may span several). */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** The validated configuration; a bad variable stops the command with the ConfigError line. */
export function loadConfig(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Opens the database (DATABASE_URL, else DATABASE_PATH, created when missing) and applies
 * pending migrations; `npm start` does the same. An unusable path (a folder, read-only, under
 * /proc, a full disk) or an unreachable server is one line naming it.
 */
export async function openConfiguredDb(config: Config = loadConfig()): Promise<DbConnection> {
  let db: DbConnection | undefined;
  try {
    db = await openDatabase(databaseLocation(config));
    await migrateDatabase(db);
    return db;
  } catch (error) {
    await db?.close();
    throw new CliError(`Cannot use the database at ${describeDatabase(config)}: ${databaseErrorReason(error)}`);
  }
}

/** A plausible email address: something@domain.tld without spaces, at most 254 characters. */
export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email);
}

/**
 * Runs a command's main function: CliError and SQLite errors become one line on stderr and
 * exit code 1. The exit code is set (not forced) on success so pending output is flushed.
 */
export async function runCli(main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof CliError) fail(error.message);
    if (error instanceof Error && error.name === 'SqliteError') fail(`Database error: ${error.message}`);
    fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
