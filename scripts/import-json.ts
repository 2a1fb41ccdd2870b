/**
 * `npm run import:json -- <file.json> [--dry-run]`: brings back an archive written by
 * `npm run export`. Into an empty database it restores every comment with its id; into one with
 * comments it adds only those not already there (same import key, or same post, author email,
 * time and text). One transaction: a bad file changes nothing.
 */
import { readFileSync } from 'node:fs';
import { checkExportFile } from '../src/domain/comments/export-format';
import { importCommentArchive } from '../src/services/comment-archive';
import { CliError, openConfiguredDb, runCli } from './cli';
import { learnImportedDecisions } from './import-report';

const USAGE = 'Usage: npm run import:json -- <file.json> [--dry-run]';

await runCli(async () => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const files = args.filter((a) => a !== '--dry-run');
  if (files.length !== 1 || files[0].startsWith('--')) throw new CliError(`Give exactly one archive file. ${USAGE}`);
  const [file] = files;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON (${(error as Error).message}). Nothing was imported.`);
  }
  const checked = checkExportFile(json);
  if (!checked.ok) throw new CliError(`${file} is not an Afterword comments archive: ${checked.error}. Nothing was imported.`);

  const db = await openConfiguredDb();
  try {
    const report = await importCommentArchive(db, checked.value, { dryRun });
    const verb = dryRun ? 'Would import' : 'Imported';
    console.log(`${verb} ${report.imported} comment(s)${report.keptIds ? ' with their ids (the database was empty)' : ''}; ${report.duplicates} already here.`);
    for (const { email, comments } of report.moderatorsMissing) {
      console.log(`${comments} reply(ies) by moderator ${email}, who has no account here: imported as reader comments (add the moderator first to keep "from the site").`);
    }
    await learnImportedDecisions(db, dryRun);
  } finally {
    await db.close();
  }
});
