import { inArray, sql } from 'drizzle-orm';
import type { pageStamps } from '../schema/sqlite';
import type { Db, DbConnection } from '../client';

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

async function bump(db: Db, scope: string): Promise<void> {
  const { pageStamps } = db.tables;
  localBumps++;
  await db.orm.insert(pageStamps)
    .values({ scope, version: 1 })
    .onConflictDoUpdate({ target: pageStamps.scope, set: { version: sql`${pageStamps.version} + 1` } })
    ;
}

/** These posts' public content changed: their pages and the listings that count their comments. */
export async function bumpPostStamps(db: Db, slugs: Iterable<string>): Promise<void> {
  const unique = new Set(slugs);
  if (unique.size === 0) return;
  for (const slug of unique) await bump(db, postScope(slug));
  await bump(db, LISTING_SCOPE);
}

/** Something every public page shows changed (e.g. the moderation rules). */
export async function bumpSiteStamp(db: Db): Promise<void> {
  await bump(db, SITE_SCOPE);
}

/**
 * One page's stamp: the sum of the versions of the site scope and the page's own scope (each
 * only grows, so the sum moves whenever either does).
 */
export async function readPageStamp(db: Db, scope: string): Promise<number> {
  const { pageStamps } = db.tables;
  const [row] = await db.orm
    .select({ stamp: sql<number>`coalesce(sum(${pageStamps.version}), 0)`.mapWith(Number) })
    .from(pageStamps)
    .where(inArray(pageStamps.scope, [SITE_SCOPE, scope]));
  return row?.stamp ?? 0;
}

/** A page's stamp now: at once when it is known in memory, else after one query. */
export type PageStampReader = (scope: string) => number | Promise<number>;

/**
 * `readPageStamp` for the page cache's hot path, which reads a stamp on every request.
 *
 * SQLite: the query costs more than the rest of a cache hit, so known stamps are kept until
 * something may have moved them. A bump in this process forgets them at once; a commit by any
 * other connection (the CLI, another process) moves SQLite's `data_version`, which is checked
 * once per event-loop turn. Requests handled in one turn were all received before it began, so
 * they are concurrent with any write that lands during it: a request sent after a write has
 * committed still always sees it.
 *
 * PostgreSQL: other instances write too, and no notification could arrive before a request
 * that follows their commit, so the stamp is read from the database: once per scope per
 * event-loop turn, shared by every request of that turn (a crowd on one post costs one query
 * per turn, and a missed message cannot leave a page stale, because there are none).
 */
export function cachedPageStampReader(connection: DbConnection): PageStampReader {
  if (connection.dialect === 'postgres') {
    let thisTurn = new Map<string, Promise<number>>();
    let clearing = false;
    return (scope) => {
      if (!clearing) {
        clearing = true;
        setImmediate(() => {
          thisTurn = new Map();
          clearing = false;
        });
      }
      let stamp = thisTurn.get(scope);
      if (!stamp) {
        stamp = readPageStamp(connection, scope);
        thisTurn.set(scope, stamp);
      }
      return stamp;
    };
  }
  const statement = connection.sqlite
    .prepare(`select coalesce(sum(version), 0) from page_stamps where scope in ('${SITE_SCOPE}', ?)`)
    .pluck();
  const read = (scope: string) => statement.get(scope) as number;
  const dataVersion = connection.sqlite.prepare('pragma data_version').pluck();
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
