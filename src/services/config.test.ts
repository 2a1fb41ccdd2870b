import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, databaseLocation, describeDatabase, parseConfig } from './config.ts';

describe('parseConfig', () => {
  test('DATABASE_URL selects PostgreSQL over the SQLite file; anything but a postgres:// URL with a database name is refused', () => {
    assert.equal(databaseLocation(parseConfig({})), 'data/afterword.db');
    const pg = parseConfig({ DATABASE_URL: ' postgres://blog:s3cret@db.internal:5432/afterword ', DATABASE_PATH: 'ignored.db' });
    assert.equal(databaseLocation(pg), 'postgres://blog:s3cret@db.internal:5432/afterword');
    assert.equal(describeDatabase(pg), 'DATABASE_URL=postgres://blog:***@db.internal:5432/afterword', 'messages never show the password');
    assert.equal(describeDatabase(parseConfig({ DATABASE_PATH: 'site.db' })), 'DATABASE_PATH=site.db');
    for (const bad of ['mysql://db/afterword', 'postgres://db.internal', 'postgres://db.internal/', 'afterword.db', 'postgres://db internal/x']) {
      assert.throws(() => parseConfig({ DATABASE_URL: bad }), /Invalid configuration: DATABASE_URL must be a PostgreSQL URL/, bad);
    }
  });

  test('SITE_URL defaults to the local address of the configured PORT', () => {
    assert.equal(parseConfig({}).SITE_URL, 'http://localhost:4321');
    assert.equal(parseConfig({ PORT: '5000' }).SITE_URL, 'http://localhost:5000');
    assert.equal(parseConfig({ PORT: ' 8080 ', HOST: '0.0.0.0' }).SITE_URL, 'http://localhost:8080');
  });

  test('a SITE_URL that is set wins over the default and is reduced to its origin', () => {
    assert.equal(parseConfig({ PORT: '5000', SITE_URL: 'https://blog.example.com/some/path' }).SITE_URL, 'https://blog.example.com');
    assert.equal(parseConfig({ SITE_URL: 'http://127.0.0.1:9000' }).SITE_URL, 'http://127.0.0.1:9000');
  });

  test('a bad SITE_URL or PORT is named, never silently replaced by the default', () => {
    assert.throws(() => parseConfig({ SITE_URL: 'ftp://example.com' }), (error: unknown) => error instanceof ConfigError && /^Invalid configuration: SITE_URL must start with http/.test(error.message));
    assert.throws(() => parseConfig({ PORT: 'abc' }), /Invalid configuration: PORT /);
  });

  test('COMMENT_EDIT_MINUTES defaults to 15, allows 0 (never), and names a bad value', () => {
    assert.equal(parseConfig({}).COMMENT_EDIT_MINUTES, 15);
    assert.equal(parseConfig({ COMMENT_EDIT_MINUTES: '0' }).COMMENT_EDIT_MINUTES, 0);
    assert.throws(() => parseConfig({ COMMENT_EDIT_MINUTES: '-1' }), /Invalid configuration: COMMENT_EDIT_MINUTES /);
  });

  test('COMMENTS_PER_PAGE defaults to 50 and refuses 0 or words', () => {
    assert.equal(parseConfig({}).COMMENTS_PER_PAGE, 50);
    assert.equal(parseConfig({ COMMENTS_PER_PAGE: '3' }).COMMENTS_PER_PAGE, 3);
    assert.throws(() => parseConfig({ COMMENTS_PER_PAGE: '0' }), /Invalid configuration: COMMENTS_PER_PAGE must be at least 1/);
    assert.throws(() => parseConfig({ COMMENTS_PER_PAGE: 'many' }), /Invalid configuration: COMMENTS_PER_PAGE /);
  });
});
