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

function bump(db: Db, scope: string): void {
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
