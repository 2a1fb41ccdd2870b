import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { getTableConfig as pgTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as postgres from './postgres.ts';
import * as sqlite from './sqlite.ts';

/** Each table's columns as queries see them: SQL name, whether it may be null, whether it is the key. */
const shape = (columns: { name: string; notNull: boolean; primary: boolean }[]) =>
  columns.map((c) => `${c.name}${c.notNull ? ' not null' : ''}${c.primary ? ' primary' : ''}`).sort();

describe('the two schemas', () => {
  test('PostgreSQL has the same tables, columns, nullability and keys as SQLite, so one query fits both', () => {
    assert.deepEqual(Object.keys(postgres).sort(), Object.keys(sqlite).sort());
    for (const name of Object.keys(sqlite)) {
      const lite = sqliteTableConfig((sqlite as Record<string, SQLiteTable>)[name]);
      const pg = pgTableConfig((postgres as Record<string, PgTable>)[name]);
      assert.equal(pg.name, lite.name, name);
      assert.deepEqual(shape(pg.columns), shape(lite.columns), name);
      assert.deepEqual(pg.indexes.map((i) => i.config.name).sort(), lite.indexes.map((i) => i.config.name).sort(), `${name} indexes`);
    }
  });

  test('queries use only what both dialects have (no SQLite-only .get(), .all(), .run(), .prepare())', () => {
    const folder = new URL('../queries/', import.meta.url);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      // The page cache's SQLite reader works on the raw handle on purpose (see cachedPageStampReader).
      const code = readFileSync(new URL(file, folder), 'utf8').replace(/export function cachedPageStampReader[\s\S]*/, '').replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, '');
      assert.doesNotMatch(code, /\.(get|all|run|prepare)\(\)/, file);
    }
  });
});
