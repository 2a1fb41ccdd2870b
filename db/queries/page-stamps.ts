import { sql } from 'drizzle-orm';
import type { Db, DbConnection } from '../client';
import { pageStamps } from '../schema';

/**
 * Change stamps of what anonymous readers see (see `page_stamps` in the schema). Services call
 * `bumpPostStamps` inside the transaction that makes a change visible; the page cache compares
 * stamps. A spam or pending comment, a login, a mail or a session renewal bumps nothing.
 */

/** The scope every page depends on (moderation rules: closing, thread depth). */
export const SITE_SCOPE = 'site';
/** Index, pagination and tag pages: they show each post's comment count. */
export const LISTING_SCOPE = 'listing';
export const postScope = (slug: string) => `post:${slug}`;

/** Bumps made by this process: a connection's own commits do not move its `data_version`. */
let localBumps = 0;

function bump(db: Db, scope: string): void {
  localBumps++;
  db.insert(pageStamps)
    .values({ scope, version: 1 })
    .onConflictDoUpdate({ target: pageStamps.scope, set: { version: sql`${pageStamps.version} + 1` } })
    .run();
}

/** These posts' public content changed: their pages and the listings that count their comments. */
export function bumpPostStamps(db: Db, slugs: Iterable<string>): void {
  const unique = new Set(slugs);
  if (unique.size === 0) return;
  for (const slug of unique) bump(db, postScope(slug));
  bump(db, LISTING_SCOPE);
}

/** Something every public page shows changed (e.g. the moderation rules). */
export function bumpSiteStamp(db: Db): void {
  bump(db, SITE_SCOPE);
}

/**
 * A reader of one page's stamp: the sum of the versions of the site scope and the page's own
 * scope (each only grows, so the sum moves whenever either does). A prepared statement on the
 * raw handle: it runs on every cache hit.
 */
export function pageStampReader(connection: DbConnection): (scope: string) => number {
  const statement = connection.$client
    .prepare(`select coalesce(sum(version), 0) from page_stamps where scope in ('${SITE_SCOPE}', ?)`)
    .pluck();
  return (scope) => statement.get(scope) as number;
}

/**
 * `pageStampReader` for the page cache's hot path, which reads a stamp on every request: the
 * query costs more than the rest of a cache hit, so known stamps are kept until something may
 * have moved them. A bump in this process forgets them at once; a commit by any other
 * connection (the CLI, another process) moves SQLite's `data_version`, which is checked once per
 * event-loop turn. Requests handled in one turn were all received before it began, so they are
 * concurrent with any write that lands during it: a request sent after a write has committed
 * still always sees it.
 */
export function cachedPageStampReader(connection: DbConnection): (scope: string) => number {
  const read = pageStampReader(connection);
  const dataVersion = connection.$client.prepare('pragma data_version').pluck();
  const known = new Map<string, number>();
  let seenVersion: unknown;
  let seenBumps = -1;
  let checkedThisTurn = false;
  const nextTurn = () => (checkedThisTurn = false);
  return (scope) => {
    if (!checkedThisTurn) {
      checkedThisTurn = true;
      setImmediate(nextTurn);
      const version = dataVersion.get();
      if (version !== seenVersion) {
        seenVersion = version;
        known.clear();
      }
    }
    if (seenBumps !== localBumps) {
      seenBumps = localBumps;
      known.clear();
    }
    let stamp = known.get(scope);
    if (stamp === undefined) {
      // Scopes are posts and listings, but a flood of unknown paths must not grow this without bound.
      if (known.size >= 10_000) known.clear();
      stamp = read(scope);
      known.set(scope, stamp);
    }
    return stamp;
  };
}
