import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../client';

/**
 * The few things the two dialects spell differently, written once here; everything else in
 * db/queries is the SQL both SQLite and PostgreSQL understand.
 */

/** The first row of a result, if any: what SQLite's `.get()` gives, on both dialects (`query.then(firstRow)`). */
export function firstRow<T>(rows: readonly T[]): T | undefined {
  return rows[0];
}

/** Whether `text` occurs in `column`, ignoring case (`instr` in SQLite, `strpos` in PostgreSQL; LIKE would treat `_` and `%` as wildcards). */
export function containsIgnoringCase(db: Db, column: SQLWrapper, text: string): SQL {
  return db.dialect === 'sqlite' ? sql`instr(lower(${column}), lower(${text})) > 0` : sql`strpos(lower(${column}), lower(${text})) > 0`;
}

/**
 * After rows were inserted with explicit ids (an archive that keeps its ids, a copy between
 * databases): PostgreSQL's identity sequence does not move by itself, so the next new row would
 * collide. SQLite continues after the largest id on its own.
 */
export async function continueIdsAfterExplicitOnes(db: Db, table: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.execute(sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.identifier(table)}), 0) + 1, false)`);
}
