import { eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { getTableConfig as pgTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Tables } from './client';
import { continueIdsAfterExplicitOnes } from './queries/rows';

/**
 * Copies a whole site from one database to another (SQLite → PostgreSQL, or back), row for row
 * with the same ids, and proves it: each table's row count and a checksum of its rows, read back
 * from the target, must equal the source's. Used by `npm run db:copy`.
 */

type TableName = keyof Tables;

/**
 * Parents before children (foreign keys hold at every insert); comments point at comments, so
 * their parent links are set in a second pass.
 */
export const COPY_ORDER: readonly TableName[] = [
  'moderators', 'comments', 'sessions', 'loginAttempts', 'moderationLog', 'settings', 'outgoingMail', 'spentFormTokens', 'pageStamps',
  'spamFilterTokens', 'spamFilterTotals', 'outgoingWebhooks', 'replySubscriptions', 'replyNotices', 'mailLinkUses', 'blockedAuthors',
];

/** Tables whose ids the database numbers: after a copy, numbering continues after the copied ids. */
const NUMBERED: ReadonlySet<TableName> = new Set(['moderators', 'comments', 'moderationLog', 'outgoingMail', 'outgoingWebhooks', 'replySubscriptions', 'blockedAuthors']);

/** Rows per insert: well under both engines' limits on bound parameters. */
const BATCH = 400;

export interface TableCopy {
  table: string;
  rows: number;
  checksum: string;
  /** The target's count and checksum equal the source's. */
  verified: boolean;
}

function sqlName(db: Db, table: TableName): { name: string; keys: string[] } {
  const config = db.dialect === 'postgres' ? pgTableConfig(db.tables[table] as unknown as PgTable) : sqliteTableConfig(db.tables[table] as unknown as SQLiteTable);
  const keys = config.columns.filter((c) => c.primary).map((c) => c.name);
  for (const key of config.primaryKeys) keys.push(...key.columns.map((c) => c.name));
  return { name: config.name, keys };
}

/** A row in a form both engines agree on: times as epoch milliseconds, keys sorted. */
function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(row).sort().map((key) => [key, row[key] instanceof Date ? (row[key] as Date).getTime() : row[key]]));
}

/** Every row of a table, in a fixed order (by its canonical form), and the checksum over them. */
async function snapshot(db: Db, table: TableName): Promise<{ rows: Record<string, unknown>[]; checksum: string }> {
  const rows = (await db.orm.select().from(db.tables[table] as SQLiteTable)) as Record<string, unknown>[];
  const lines = rows.map(canonical).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { rows, checksum: hash.digest('hex').slice(0, 16) };
}

/** The tables of the target that already hold rows (a copy goes only into an empty database). */
export async function nonEmptyTables(db: Db): Promise<string[]> {
  const found: string[] = [];
  for (const table of COPY_ORDER) {
    const [row] = await db.orm.select().from(db.tables[table] as SQLiteTable).limit(1);
    if (row) found.push(sqlName(db, table).name);
  }
  return found;
}

/**
 * Copies every table from `source` to the empty, migrated `target` in one transaction on the
 * target (a failure leaves it empty), then verifies each table. The source is read inside one
 * read-only transaction, so a running site gives a consistent copy.
 */
export async function copyDatabase(source: Db, target: Db, progress: (line: string) => void = () => {}): Promise<TableCopy[]> {
  const snapshots = await source.transaction(async (tx) => {
    const taken = new Map<TableName, Awaited<ReturnType<typeof snapshot>>>();
    for (const table of COPY_ORDER) taken.set(table, await snapshot(tx, table));
    return taken;
  }, { readOnly: true });

  await target.transaction(async (tx) => {
    for (const table of COPY_ORDER) {
      const { rows } = snapshots.get(table)!;
      // Comments first without their parents: a reply may have a smaller id than its parent (imports).
      const insertable = table === 'comments' ? rows.map((row) => ({ ...row, parentId: null })) : rows;
      for (let i = 0; i < insertable.length; i += BATCH) {
        await tx.orm.insert(tx.tables[table] as SQLiteTable).values(insertable.slice(i, i + BATCH) as never);
      }
      if (table === 'comments') {
        const { comments } = tx.tables;
        for (const row of rows) {
          if (row.parentId !== null) await tx.orm.update(comments).set({ parentId: row.parentId as number }).where(eq(comments.id, row.id as number));
        }
      }
      if (NUMBERED.has(table)) await continueIdsAfterExplicitOnes(tx, sqlName(tx, table).name);
      progress(`copied ${sqlName(tx, table).name}: ${rows.length} row(s)`);
    }
  });

  const report: TableCopy[] = [];
  for (const table of COPY_ORDER) {
    const copied = await snapshot(target, table);
    const original = snapshots.get(table)!;
    report.push({
      table: sqlName(target, table).name,
      rows: original.rows.length,
      checksum: original.checksum,
      verified: copied.rows.length === original.rows.length && copied.checksum === original.checksum,
    });
  }
  return report;
}
