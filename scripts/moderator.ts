/**
 * `npm run moderator -- add <email> --name <name>` | `list` | `remove <email>`: manages the
 * people who may log in at /admin. The password of `add` comes from MODERATOR_PASSWORD, else
 * from a hidden prompt on the terminal (asked twice).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { DbConnection } from '../src/services/context';
import { addModerator, findModeratorByEmail, listModerators, removeModerator } from '../src/services/moderators';
import { hashPassword, passwordProblem } from '../src/services/auth/password';
import { CliError, isPlausibleEmail, loadConfig, openConfiguredDb, runCli } from './cli';

const USAGE =
  'Usage: npm run moderator -- add <email> --name <name> | list | remove <email> ' +
  '(add reads the password from MODERATOR_PASSWORD, else prompts for it)';

const usage = (problem: string) => new CliError(`${problem}. ${USAGE}`);

/**
 * Reads one line from the terminal without echoing it: readline puts the TTY in raw mode and
 * writes its echo to a stream that discards everything.
 */
function promptHidden(question: string): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  // Only now, with the terminal's echo off, may the user start typing.
  process.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      process.stderr.write('\n');
      if (!answered) reject(new CliError('Cancelled: no password entered.'));
    });
    rl.question('', (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** The new moderator's password: MODERATOR_PASSWORD, else typed twice at a hidden prompt. */
async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.MODERATOR_PASSWORD;
  if (fromEnv !== undefined) {
    const problem = passwordProblem(fromEnv);
    if (problem) throw new CliError(`MODERATOR_PASSWORD is not acceptable: ${problem}.`);
    return fromEnv;
  }
  if (!process.stdin.isTTY) {
    throw new CliError('No password: set MODERATOR_PASSWORD, or run this in a terminal to be asked for one.');
  }
  const password = await promptHidden('Password: ');
  const problem = passwordProblem(password);
  if (problem) throw new CliError(`Password not acceptable: ${problem}.`);
  const repeated = await promptHidden('Repeat password: ');
  if (repeated !== password) throw new CliError('The passwords do not match; nothing was changed.');
  return password;
}

async function withDb<T>(run: (db: DbConnection) => T | Promise<T>): Promise<T> {
  const db = await openConfiguredDb();
  return Promise.resolve()
    .then(() => run(db))
    .finally(() => db.close());
}

async function add(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { name: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw usage('add needs exactly one email address');
  const email = positionals[0].trim();
  const name = values.name?.trim();
  if (!isPlausibleEmail(email)) throw new CliError(`"${email}" is not a valid email address.`);
  if (!name) throw usage('add needs --name <name>');
  if (name.length > 100 || /[\p{Cc}]/u.test(name)) throw new CliError('--name must be at most 100 characters, without control characters.');

  const config = loadConfig();
  await withDb(async (db) => {
    // Checked before asking for a password, so nobody types one in vain.
    const existing = await findModeratorByEmail(db, email);
    if (existing) throw new CliError(`A moderator with email ${existing.email} already exists (${existing.name}).`);
    const passwordHash = await hashPassword(await readNewPassword());
    // Someone may have added the same address while we were hashing.
    if (!(await addModerator(db, { email, name, passwordHash, createdAt: new Date() }))) throw new CliError(`A moderator with email ${email} already exists.`);
  });
  console.log(`Added moderator ${name} <${email}>; they can log in at ${config.SITE_URL}/admin/login`);
}

async function list(args: string[]): Promise<void> {
  if (args.length) throw usage('list takes no arguments');
  const rows = await withDb((db) => listModerators(db));
  if (!rows.length) {
    console.log('No moderators yet. Add one with: npm run moderator -- add <email> --name <name>');
    return;
  }
  const table = [['EMAIL', 'NAME', 'CREATED'], ...rows.map((m) => [m.email, m.name, m.createdAt.toISOString().slice(0, 10)])];
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
  for (const line of table) console.log(line.map((cell, i) => (i < line.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  '));
}

async function remove(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw usage('remove needs exactly one email address');
  const email = positionals[0].trim();
  const removed = await withDb(async (db) => {
    const moderator = await removeModerator(db, email);
    if (!moderator) throw new CliError(`No moderator with email ${email}.`);
    return moderator;
  });
  console.log(`Removed moderator ${removed.name} <${removed.email}>; their sessions have ended.`);
}

const commands: Record<string, (args: string[]) => Promise<void>> = { add, list, remove };

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (!command) throw usage('Missing command');
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) throw usage(`Unknown command "${command}"`);
  try {
    await run(rest);
  } catch (error) {
    // parseArgs rejects unknown options and missing option values.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw usage((error as Error).message.replace(/\.$/, ''));
    throw error;
  }
});
