/**
 * `npm run import:wordpress -- <export.xml> [--dry-run]`: brings the comments of a WordPress
 * export (wp-admin → Tools → Export) onto the posts with the same slug in content/posts/.
 * Replies keep their threads and statuses carry over; running it again imports only what is new.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseWordPressExport } from '../src/domain/comments/wordpress';
import { loadSecret } from '../src/server/secret';
import { importWordPressComments } from '../src/server/wordpress-import';
import { CliError, loadConfig, openConfiguredDb, runCli } from './cli';

const USAGE = 'Usage: npm run import:wordpress -- <export.xml> [--dry-run]';
const POSTS_FOLDER = fileURLToPath(new URL('../content/posts', import.meta.url));

await runCli(() => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const files = args.filter((a) => a !== '--dry-run');
  if (files.length !== 1 || files[0].startsWith('--')) throw new CliError(`Give exactly one export file. ${USAGE}`);

  let xml: string;
  try {
    xml = readFileSync(files[0], 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${files[0]}: ${(error as Error).message}`);
  }
  let posts;
  try {
    posts = parseWordPressExport(xml);
  } catch (error) {
    throw new CliError(`${files[0]} is ${(error as Error).message}.`);
  }
  const knownSlugs = new Set(readdirSync(POSTS_FOLDER).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)));

  const config = loadConfig();
  const db = openConfiguredDb(config);
  try {
    const secret = loadSecret(db, config.AFTERWORD_SECRET);
    // A dry run imports inside a transaction that is then rolled back: the report is exact.
    const report = dryRun
      ? (() => {
          db.$client.exec('begin');
          try {
            return importWordPressComments(db, posts, knownSlugs, secret);
          } finally {
            db.$client.exec('rollback');
          }
        })()
      : importWordPressComments(db, posts, knownSlugs, secret);
    console.log(`${dryRun ? 'Would import' : 'Imported'} ${report.imported} comment(s); ${report.alreadyImported} already imported; ${report.skipped} pingback(s), trackback(s) or empty comment(s) skipped.`);
    for (const { slug, comments } of report.unknownPosts) {
      console.log(`No post "${slug}" in content/posts: its ${comments} comment(s) were not imported (add the post with that file name and run again).`);
    }
  } finally {
    db.$client.close();
  }
});
