/**
 * `npm run export -- <file.json> [--force]`: writes every comment to one JSON file in the
 * archive format (db/export-format.schema.json), for moving or restoring with `npm run
 * import:json`. Safe while the server runs (one read transaction).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { exportAllComments } from '../src/services/comment-archive';
import { CliError, openConfiguredDb, runCli } from './cli';

const USAGE = 'Usage: npm run export -- <file.json> [--force]';

await runCli(async () => {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const files = args.filter((a) => a !== '--force');
  if (files.length !== 1 || files[0].startsWith('--')) throw new CliError(`Give exactly one file to write. ${USAGE}`);
  const [file] = files;
  if (existsSync(file) && !force) throw new CliError(`${file} already exists; add --force to overwrite it.`);
  const db = await openConfiguredDb();
  try {
    const archive = await db.transaction((tx) => exportAllComments(tx), { readOnly: true });
    try {
      writeFileSync(file, `${JSON.stringify(archive, null, 2)}\n`);
    } catch (error) {
      throw new CliError(`Cannot write ${file}: ${(error as Error).message}`);
    }
    console.log(`Wrote ${archive.comments.length} comment(s) to ${file}.`);
  } finally {
    await db.close();
  }
});
