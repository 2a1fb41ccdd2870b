/**
 * `npm run import:wordpress -- <export.xml> [--dry-run]`: brings the comments of a WordPress
 * export (wp-admin → Tools → Export) onto the posts with the same slug in content/posts/.
 * Replies keep their threads and statuses carry over; running it again imports only what is
 * new. The file is streamed (any size), and the whole import is one transaction.
 */
import { accessSync, constants } from 'node:fs';
import { WordPressExportError } from '../src/domain/comments/wordpress';
import { loadSecret } from '../src/services/secret';
import { importWordPressExport, readFileInChunks } from '../src/services/import/wordpress';
import { CliError, loadConfig, openConfiguredDb, runCli } from './cli';
import { knownPostSlugs, learnImportedDecisions, printImportNotes } from './import-report';

const USAGE = 'Usage: npm run import:wordpress -- <export.xml> [--dry-run]';

await runCli(async () => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const files = args.filter((a) => a !== '--dry-run');
  if (files.length !== 1 || files[0].startsWith('--')) throw new CliError(`Give exactly one export file. ${USAGE}`);
  const [file] = files;
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }

  const config = loadConfig();
  const db = await openConfiguredDb(config);
  try {
    const secret = await loadSecret(db, config.AFTERWORD_SECRET);
    let report;
    try {
      report = await importWordPressExport(db, readFileInChunks(file), { knownSlugs: knownPostSlugs(), secret, dryRun });
    } catch (error) {
      if (error instanceof WordPressExportError) throw new CliError(`${file}: ${error.message}. Nothing was imported.`);
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new CliError(`Cannot read ${file}: it is a folder`);
      throw error;
    }
    console.log(`${dryRun ? 'Would import' : 'Imported'} ${report.imported} comment(s); ${report.alreadyImported} already imported.`);
    printImportNotes(report.notes);
    await learnImportedDecisions(db, dryRun);
  } finally {
    await db.close();
  }
});
