import { TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { DisqusExportReader, disqusThreadSlug } from '../domain/comments/disqus';
import { CommentImport, type ImportOptions, type ImportReport } from './wordpress-import';

/**
 * Imports a Disqus export through the same steps as a WordPress one (src/server/wordpress-import.ts):
 * each post lands on the post its thread's address names (see `disqusThreadSlug`, `map` for
 * addresses that do not match a file), keyed `disqus:<id>` so a re-import brings only what is
 * new; deleted posts become trash, spam stays spam. One transaction. Throws
 * WordPressExportError (a one-line reason with line and column) for a malformed file.
 */
export function importDisqusExport(db: Db, chunks: Iterable<string>, options: ImportOptions & { map?: ReadonlyMap<string, string> }): ImportReport {
  let report: ImportReport | undefined;
  try {
    db.transaction((tx) => {
      const run = new CommentImport(tx, options.knownSlugs, options.secret, { prefix: 'disqus', reading: 'html' });
      const reader = new DisqusExportReader((post, thread) =>
        run.item({
          postId: Number.NaN,
          slug: thread ? disqusThreadSlug(thread, options.map) : '',
          title: thread ? thread.link : 'a thread that is not in the file',
          type: 'thread',
          comments: [post],
        }),
      );
      for (const chunk of chunks) reader.write(chunk);
      reader.close();
      run.finish();
      report = run.report;
      if (options.dryRun) tx.rollback();
    });
  } catch (error) {
    if (!(options.dryRun && error instanceof TransactionRollbackError && report)) throw error;
  }
  return report!;
}
