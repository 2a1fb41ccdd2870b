import type { Db } from '../../../db/client';
import { DisqusExportReader, disqusThreadSlug } from '../../domain/comments/disqus';
import { runStreamedImport, type ImportOptions, type ImportReport } from './wordpress';

/**
 * Imports a Disqus export through the same steps as a WordPress one (src/services/import/wordpress.ts):
 * each post lands on the post its thread's address names (see `disqusThreadSlug`, `map` for
 * addresses that do not match a file), keyed `disqus:<id>` so a re-import brings only what is
 * new; deleted posts become trash, spam stays spam. One transaction. Throws
 * WordPressExportError (a one-line reason with line and column) for a malformed file.
 */
export async function importDisqusExport(db: Db, chunks: Iterable<string>, options: ImportOptions & { map?: ReadonlyMap<string, string> }): Promise<ImportReport> {
  return runStreamedImport(db, chunks, options, { prefix: 'disqus', reading: 'html' }, (run) =>
    new DisqusExportReader((post, thread) =>
      run.item({
        postId: Number.NaN,
        slug: thread ? disqusThreadSlug(thread, options.map) : '',
        title: thread ? thread.link : 'a thread that is not in the file',
        type: 'thread',
        comments: [post],
      }),
    ),
  );
}
