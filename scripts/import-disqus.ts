/**
 * `npm run import:disqus -- <export.xml> [--dry-run] [--map old=new …]`: brings the comments of
 * a Disqus export onto the posts here. A thread's post is `/posts/<slug>` in its address, else
 * the address's last path segment; `--map old=new` (repeatable) sends the thread whose slug or
 * whole address is `old` to the post `new`. Streamed, one transaction, re-runnable.
 */
import { accessSync, constants } from 'node:fs';
import { WordPressExportError } from '../src/domain/comments/wordpress';
import { importDisqusExport } from '../src/services/import/disqus';
import { loadSecret } from '../src/services/secret';
import { readFileInChunks } from '../src/services/import/wordpress';
import { CliError, loadConfig, openConfiguredDb, runCli } from './cli';
import { knownPostSlugs, learnImportedDecisions, printImportNotes } from './import-report';

const USAGE = 'Usage: npm run import:disqus -- <export.xml> [--dry-run] [--map old=new …]';

await runCli(async () => {
  const args = process.argv.slice(2);
  const map = new Map<string, string>();
  const files: string[] = [];
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dry-run') dryRun = true;
    else if (args[i] === '--map') {
      const pair = /^([^=]+)=([^=]+)$/.exec(args[++i] ?? '');
      if (!pair) throw new CliError(`--map needs old=new (a thread's slug or address, then a post's slug). ${USAGE}`);
      map.set(pair[1].trim(), pair[2].trim());
    } else if (args[i].startsWith('--')) throw new CliError(`Unknown option ${args[i]}. ${USAGE}`);
    else files.push(args[i]);
  }
  if (files.length !== 1) throw new CliError(`Give exactly one export file. ${USAGE}`);
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
      report = await importDisqusExport(db, readFileInChunks(file), { knownSlugs: knownPostSlugs(), secret, dryRun, map });
    } catch (error) {
      if (error instanceof WordPressExportError) throw new CliError(`${file}: ${error.message}. Nothing was imported.`);
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new CliError(`Cannot read ${file}: it is a folder`);
      throw error;
    }
    console.log(`${dryRun ? 'Would import' : 'Imported'} ${report.imported} comment(s); ${report.alreadyImported} already imported.`);
    printImportNotes(report.notes, 'Disqus post ids');
    await learnImportedDecisions(db, dryRun);
  } finally {
    await db.close();
  }
});
