import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db, DbConnection, Orm, TransactionOptions } from './client';
import * as tables from './schema/postgres';
import { transactionContext } from './transaction-context';

/**
 * The advisory lock every write transaction takes first, on every instance: write transactions
 * then run one at a time, as on SQLite, so "is this a flood or a duplicate? no: insert" cannot
 * interleave with another submission's check. Reads never wait for it.
 */
const WRITE_LOCK = 0x41667477; // "Aftw"

/** Whatever the open transaction is, so a call on the connection from inside it nests instead of deadlocking on the lock. */
const openTransaction = transactionContext<Db>();

// Afterword's tables use `timestamptz` and integer columns only; `count(*)` is bigint, which the
// driver would hand over as a string: queries use drizzle's count() (mapped to a number) instead.

function postgresDb(orm: NodePgDatabase<typeof tables>, inTransaction: boolean): Db {
  const db: Db = {
    dialect: 'postgres',
    // The builders the queries use have the same shape in both dialects (see Orm in client.ts).
    orm: orm as unknown as Orm,
    tables: tables as unknown as Db['tables'],
    execute: async (query) => (await orm.execute(query)).rows,
    async transaction<T>(work: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (inTransaction) return orm.transaction((savepoint) => work(postgresDb(savepoint, true)));
      const open = openTransaction.current();
      if (open) return open.transaction(work, options);
      return orm.transaction(
        async (tx) => {
          if (!options.readOnly) await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
          const txDb = postgresDb(tx, true);
          return openTransaction.run(txDb, () => work(txDb));
        },
        options.readOnly ? { isolationLevel: 'repeatable read', accessMode: 'read only' } : undefined,
      );
    },
  };
  return db;
}

/**
 * Connects to PostgreSQL (a pool of up to `max` connections; nothing is sent until the first
 * query). Times travel as `timestamptz`, so every instance agrees whatever its time zone.
 */
export function openPostgres(url: string, { max = 10, allowExitOnIdle = false } = {}): DbConnection {
  const pool = new pg.Pool({ connectionString: url, max, allowExitOnIdle, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (a restarted server) is dropped by the pool; without a
  // listener its error would end the process.
  pool.on('error', () => {});
  const orm = drizzle(pool, { schema: tables });
  return Object.assign(postgresDb(orm, false), {
    dialect: 'postgres' as const,
    pool,
    async close() {
      await pool.end();
    },
  });
}

/** Runs `work` on a single connection to `url`, then closes it: creating and dropping databases, which cannot run in a pool's transaction. */
export async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
