import { openDatabase, type DbConnection } from './client';
import { migrateDatabase } from './migrate';

/** An in-memory database with the real migrations applied, for query and service tests. */
export function createTestDb(): DbConnection {
  const db = openDatabase(':memory:');
  migrateDatabase(db);
  return db;
}
